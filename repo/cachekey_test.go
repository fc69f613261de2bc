package repo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

// Updates of the same columns named in another order share one statement
// shape; each must still write every value to its own column.
func TestUpdateColumnOrder(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		p := &person{Name: "ann", Email: "ann@x", Age: 30}
		insertAll(t, r, p)
		p.Name, p.Email = "bea", "bea@x"
		if err := r.Update(ctx, p, people.Name, people.Email); err != nil {
			t.Fatal(err)
		}
		p.Name, p.Email = "cid", "cid@x"
		if err := r.Update(ctx, p, people.Email, people.Name); err != nil {
			t.Fatal(err)
		}
		got, err := r.Get(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "cid" || got.Email != "cid@x" {
			t.Errorf("stored name %q email %q, want cid, cid@x", got.Name, got.Email)
		}
	})
}

// A column named twice is written once, whatever was cached before.
func TestUpdateColumnTwice(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		p := &person{Name: "ann", Email: "ann@x", Age: 30}
		insertAll(t, r, p)
		p.Age = 31
		if err := r.Update(ctx, p, people.Age); err != nil {
			t.Fatal(err)
		}
		p.Age = 32
		if err := r.Update(ctx, p, people.Age, people.Age); err != nil {
			t.Fatal(err)
		}
		got, err := r.Get(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Age != 32 {
			t.Errorf("stored age %d, want 32", got.Age)
		}
	})
}

// pair has a column whose name joins two others' with a comma, each side
// unique: upserts on either target are two statements.
type pair struct {
	ID     int64
	A, B   string
	Joined string
}

type pairTable struct {
	*mapped.Table[pair]
	ID     mapped.Column[pair, int64]
	A, B   mapped.TextColumn[pair, string]
	Joined mapped.TextColumn[pair, string]
}

var pairs = mapped.Define("pair", func(t *mapped.Table[pair], p *pair) pairTable {
	pt := pairTable{
		Table:  t,
		ID:     mapped.PrimaryKey(t, &p.ID),
		A:      mapped.Text(t, &p.A),
		B:      mapped.Text(t, &p.B),
		Joined: mapped.Text(t, &p.Joined, mapped.Unique(), mapped.Name("a,b")),
	}
	mapped.UniqueTogether(t, pt.A, pt.B)
	return pt
})

// An upsert on the target (a, b) and one on the target ("a,b") must not
// share cached text, whatever the names' characters.
func TestUpsertTargetNames(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, pairs.Table)
		r := repo.New(db, pairs.Table)
		first := &pair{A: "x", B: "y", Joined: "k"}
		if err := r.Upsert(ctx, first, pairs.A, pairs.B); err != nil {
			t.Fatalf("Upsert on (a, b): %v", err)
		}
		second := &pair{A: "x2", B: "y2", Joined: "k"}
		if err := r.Upsert(ctx, second, pairs.Joined); err != nil {
			t.Fatalf("Upsert on (\"a,b\"): %v", err)
		}
		got, err := r.All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || *got[0] != (pair{ID: first.ID, A: "x2", B: "y2", Joined: "k"}) {
			t.Errorf("stored %v, want one row {%d x2 y2 k}", got, first.ID)
		}
	})
}

// fewParams is SQLite under a lower parameter limit: a dialect of the same
// name with other features, as a program tuning a dialect by embedding it
// makes.
type fewParams struct{ dialect.Dialect }

var fewParamsFeatures = func() dialect.Features {
	f := *sqlite.Dialect().Features()
	f.MaxParams = 999
	return f
}()

func (fewParams) Features() *dialect.Features { return &fewParamsFeatures }

// onDialect is a database whose statements are written for d.
type onDialect struct {
	dialect.DB
	d dialect.Dialect
}

func (e onDialect) Dialect() dialect.Dialect { return e.d }

// A repository moved by With to an executor whose dialect has the same
// name but other features must write for those features, not reuse what
// it learnt on the first.
func TestWithOtherFeatures(t *testing.T) {
	t.Parallel()
	db := testdb.SQLite(t) // the dialect tuned is SQLite's
	ctx := context.Background()
	r := newPeople(t, db)
	if err := r.Insert(ctx, &person{Name: "first", Email: "first@x"}); err != nil {
		t.Fatal(err)
	}
	tuned := r.With(onDialect{db, fewParams{sqlite.Dialect()}})
	rows := make([]*person, 400) // 1,600 parameters: two statements under the limit of 999
	for i := range rows {
		rows[i] = &person{Name: "p", Email: fmt.Sprintf("p%d@x", i)}
	}
	if err := tuned.InsertMany(ctx, rows); err != nil {
		t.Fatalf("InsertMany on the tuned dialect: %v", err)
	}
	if n := count(t, r); n != 401 {
		t.Errorf("stored %d rows, want 401", n)
	}
}

// A bin holds parts keyed by two text columns.
type bin struct {
	ID    int64
	Parts []*part
}

type part struct {
	A, B  string
	BinID int64
}

type binTable struct {
	*mapped.Table[bin]
	ID mapped.Column[bin, int64]
}

type partTable struct {
	*mapped.Table[part]
	A, B  mapped.Column[part, string]
	BinID mapped.Column[part, int64]
}

var (
	bins = mapped.Define("bin", func(t *mapped.Table[bin], b *bin) binTable {
		return binTable{Table: t, ID: mapped.PrimaryKey(t, &b.ID)}
	})
	parts = mapped.Define("part", func(t *mapped.Table[part], p *part) partTable {
		return partTable{Table: t,
			A:     mapped.PrimaryKey(t, &p.A),
			B:     mapped.PrimaryKey(t, &p.B),
			BinID: mapped.ForeignKey(t, &p.BinID, bins.ID)}
	})
	binParts = relation.HasMany(parts.BinID, func(b *bin) *[]*part { return &b.Parts })
)

// SaveCollection tells apart two children whose composite keys' text
// values, written one after the other, spell the same: the one taken out
// of the collection is deleted. SQLite only: PostgreSQL refuses the NUL
// byte the keys need.
func TestSaveCollectionCompositeTextKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testModel.Bind(testdb.SQLite(t))
	create(t, db, bins.Table, parts.Table)
	b := &bin{}
	insertAll(t, repo.New(db, bins.Table), b)
	kept := &part{A: "x", B: "y\x00z", BinID: b.ID}
	dropped := &part{A: "x\x00y", B: "z", BinID: b.ID}
	insertAll(t, repo.New(db, parts.Table), kept, dropped)
	b.Parts = []*part{kept}
	if err := repo.SaveCollection(ctx, db, binParts, b); err != nil {
		t.Fatal(err)
	}
	stored, err := repo.New(db, parts.Table).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []part
	for _, p := range stored {
		got = append(got, *p)
	}
	if len(got) != 1 || got[0] != *kept {
		t.Errorf("stored %#v, want only %#v", got, *kept)
	}
}

// A day holds readings keyed by the time they were taken.
type day struct {
	ID       int64
	Readings []*reading
}

type reading struct {
	At    time.Time
	DayID int64
}

type dayTable struct {
	*mapped.Table[day]
	ID mapped.Column[day, int64]
}

type readingTable struct {
	*mapped.Table[reading]
	At    mapped.Column[reading, time.Time]
	DayID mapped.Column[reading, int64]
}

var (
	days = mapped.Define("day", func(t *mapped.Table[day], d *day) dayTable {
		return dayTable{Table: t, ID: mapped.PrimaryKey(t, &d.ID)}
	})
	readings = mapped.Define("reading", func(t *mapped.Table[reading], r *reading) readingTable {
		return readingTable{Table: t,
			At:    mapped.PrimaryKey(t, &r.At),
			DayID: mapped.ForeignKey(t, &r.DayID, days.ID)}
	})
	dayReadings = relation.HasMany(readings.DayID, func(d *day) *[]*reading { return &d.Readings })
)

// SaveCollection knows a child keyed by a time as the stored row with
// that instant, whatever the zone it is written in.
func TestSaveCollectionTimeKeys(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		db = testModel.Bind(db)
		ctx := context.Background()
		create(t, db, days.Table, readings.Table)
		d := &day{}
		insertAll(t, repo.New(db, days.Table), d)
		at := time.Date(2024, 3, 1, 12, 30, 0, 0, time.FixedZone("CET", 3600))
		r := &reading{At: at, DayID: d.ID}
		insertAll(t, repo.New(db, readings.Table), r)
		d.Readings = []*reading{r}
		if err := repo.SaveCollection(ctx, db, dayReadings, d); err != nil {
			t.Fatal(err)
		}
		if n := count(t, repo.New(db, readings.Table)); n != 1 {
			t.Errorf("%d readings stored after saving the collection that holds it, want 1", n)
		}
	})
}
