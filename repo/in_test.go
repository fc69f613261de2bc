package repo_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// TestLongIn checks In and NotIn with lists around and beyond every
// dialect's limits: SQLite writes up to 500 values inline and longer lists
// as one JSON parameter, and binds at most 32766 parameters; PostgreSQL
// binds the list as one array and allows 65535 parameters.
func TestLongIn(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		const stored = 1000
		rows := make([]*person, stored)
		for i := range rows {
			rows[i] = &person{Name: fmt.Sprint(i), Email: fmt.Sprintf("%d@example.com", i), Age: i}
		}
		if err := r.InsertMany(ctx, rows); err != nil {
			t.Fatal(err)
		}
		// Lists of even numbers: a list of n values holds the ages
		// 0, 2, …, 2n-2, of which min(n, stored/2) are stored. 1 and 2
		// straddle SQLite's switch to a JSON parameter; 70000 is over
		// both dialects' parameter limits.
		for _, n := range []int{1, 2, 500, 501, 70000} {
			ages := make([]int, n)
			emails := make([]string, n)
			for i := range ages {
				ages[i] = 2 * i
				emails[i] = fmt.Sprintf("%d@example.com", 2*i)
			}
			wantIn := int64(min(n, stored/2))
			got, err := r.Where(people.Email.In(emails...)).Count(ctx)
			if err != nil || got != wantIn {
				t.Errorf("In of %d strings: got %d, %v; want %d", n, got, err, wantIn)
			}
			got, err = r.Where(people.Email.NotIn(emails...)).Count(ctx)
			if err != nil || got != stored-wantIn {
				t.Errorf("NotIn of %d strings: got %d, %v; want %d", n, got, err, stored-wantIn)
			}
			if n == 70000 {
				continue // the rows of a list of 70000 ints are checked below
			}
			got, err = r.Where(people.Age.In(ages...)).Count(ctx)
			if err != nil || got != wantIn {
				t.Errorf("In of %d ints: got %d, %v; want %d", n, got, err, wantIn)
			}
			got, err = r.Where(people.Age.NotIn(ages...)).Count(ctx)
			if err != nil || got != stored-wantIn {
				t.Errorf("NotIn of %d ints: got %d, %v; want %d", n, got, err, stored-wantIn)
			}
		}

		// The rows themselves, not only their number, are the right ones.
		ages := make([]int, 70000)
		for i := range ages {
			ages[i] = 3*i + 1 // 1, 4, 7, …
		}
		in, err := r.Where(people.Age.In(ages...)).OrderBy(people.Age.Asc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range in {
			if p.Age != 3*i+1 {
				t.Fatalf("In of 70000: row %d has age %d, want %d", i, p.Age, 3*i+1)
			}
		}
		if len(in) != 333 {
			t.Errorf("In of 70000: got %d rows, want 333", len(in))
		}
		notIn, err := r.Where(people.Age.NotIn(ages...)).OrderBy(people.Age.Asc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(notIn) != stored-333 {
			t.Errorf("NotIn of 70000: got %d rows, want %d", len(notIn), stored-333)
		}
		for _, p := range notIn {
			if p.Age%3 == 1 {
				t.Fatalf("NotIn of 70000 returned age %d, which is in the list", p.Age)
			}
		}

		// Long lists work in bulk statements too.
		n, err := r.UpdateWhere(ctx, people.Age.In(ages...), people.Name.Set("third"))
		if err != nil || n != 333 {
			t.Errorf("UpdateWhere with In of 70000: got %d, %v; want 333", n, err)
		}
		n, err = r.DeleteWhere(ctx, people.Age.NotIn(ages...))
		if err != nil || n != stored-333 {
			t.Errorf("DeleteWhere with NotIn of 70000: got %d, %v; want %d", n, err, stored-333)
		}
		if got, err := r.Where(people.Name.Eq("third")).Count(ctx); err != nil || got != 333 || count(t, r) != 333 {
			t.Errorf("rows left: got %d named third (%v), %d in all; want 333 of each", got, err, count(t, r))
		}
	})
}

type post struct {
	ID       int64
	AuthorID int64
	Title    string
}

type postTable struct {
	*mapped.Table[post]
	ID       mapped.Column[post, int64]
	AuthorID mapped.Column[post, int64]
	Title    mapped.TextColumn[post, string]
}

var posts = mapped.Define("post", func(t *mapped.Table[post], p *post) postTable {
	return postTable{
		Table:    t,
		ID:       mapped.PrimaryKey(t, &p.ID),
		AuthorID: mapped.ForeignKey(t, &p.AuthorID, people.ID),
		Title:    mapped.Text(t, &p.Title),
	}
})

func TestInQuery(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newCast(t, db) // Alice 1, bob 2, Carol 3, dave 4, Eve 5, Frank 6
		create(t, db, posts.Table)
		pr := repo.New(db, posts.Table)
		insertAll(t, pr,
			&post{AuthorID: 1, Title: "Go generics"},
			&post{AuthorID: 3, Title: "Go modules"},
			&post{AuthorID: 3, Title: "SQL joins"},
			&post{AuthorID: 5, Title: "Cryptography"},
		)
		goAuthors := query.Select1(posts.AuthorID).Where(posts.Title.HasPrefix("Go"))
		cases := []struct {
			name string
			cond query.Cond[person]
			want []string
		}{
			{"InQuery", people.ID.InQuery(goAuthors), []string{"Alice", "Carol"}},
			{"NotInQuery", people.ID.NotInQuery(goAuthors), []string{"bob", "dave", "Eve", "Frank"}},
			{"InQuery of every author", people.ID.InQuery(query.Select1(posts.AuthorID)), []string{"Alice", "Carol", "Eve"}},
			{"InQuery matching nothing", people.ID.InQuery(query.Select1(posts.AuthorID).Where(posts.Title.Eq("none"))), nil},
			{"InQuery beside another condition", people.ID.InQuery(goAuthors).And(people.Age.Gt(30)), []string{"Carol"}},
			{"InQuery on the same table", people.Age.InQuery(query.Select1(people.Age).Where(people.Name.Eq("bob"))),
				[]string{"bob", "dave"}},
			{"InQuery with Distinct and Limit", people.ID.InQuery(
				query.Select1(posts.AuthorID).Distinct().OrderBy(posts.AuthorID.Desc()).Limit(1)), []string{"Eve"}},
		}
		for _, tc := range cases {
			rows, err := r.Where(tc.cond).OrderBy(people.ID.Asc()).All(ctx)
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
				continue
			}
			if got := namesOf(rows); !slices.Equal(got, tc.want) {
				t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
			}
		}
		n, err := r.DeleteWhere(ctx, people.ID.NotInQuery(query.Select1(posts.AuthorID)))
		if err != nil || n != 3 {
			t.Errorf("DeleteWhere of people without posts: got %d, %v; want 3", n, err)
		}
	})
}

// uuidKey is a 16-byte identifier that reaches the database as its text
// form through driver.Valuer, as UUID types do.
type uuidKey [16]byte

// Value implements driver.Valuer.
func (u uuidKey) Value() (driver.Value, error) { return u.String(), nil }

func (u uuidKey) String() string {
	h := hex.EncodeToString(u[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// Scan implements sql.Scanner.
func (u *uuidKey) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("uuid: cannot scan %T", src)
	}
	b, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(b) != 16 {
		return fmt.Errorf("uuid: cannot read %q", s)
	}
	copy(u[:], b)
	return nil
}

// newUUID returns a key made of a prefix and n.
func newUUID(prefix byte, n int) uuidKey {
	var u uuidKey
	u[0] = prefix
	u[12], u[13], u[14], u[15] = byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
	return u
}

// blob is a named byte slice, which drivers see only through reflection.
type blob []byte

// valuerTime is a time that a driver.Valuer hands over as a time.Time.
type valuerTime struct{ t time.Time }

// Value implements driver.Valuer.
func (s valuerTime) Value() (driver.Value, error) { return s.t, nil }

// Scan implements sql.Scanner.
func (s *valuerTime) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		s.t = v
	case string:
		t, err := time.Parse("2006-01-02 15:04:05.999999999 -0700 MST", v)
		s.t = t
		return err
	default:
		return fmt.Errorf("valuerTime: cannot scan %T", src)
	}
	return nil
}

// kind has a column of each type whose long IN lists once went astray.
type kind struct {
	ID    int64
	UID   uuidKey
	NInt  sql.Null[int64]
	Blob  blob
	Bytes []byte
	Str   string
	F64   float64
	I64   int64
	At    valuerTime
}

type kindTable struct {
	*mapped.Table[kind]
	ID    mapped.Column[kind, int64]
	UID   mapped.Column[kind, uuidKey]
	NInt  mapped.Column[kind, sql.Null[int64]]
	Blob  mapped.Column[kind, blob]
	Bytes mapped.Column[kind, []byte]
	Str   mapped.TextColumn[kind, string]
	F64   mapped.Column[kind, float64]
	I64   mapped.Column[kind, int64]
	At    mapped.Column[kind, valuerTime]
}

var kinds = mapped.Define("kind", func(t *mapped.Table[kind], k *kind) kindTable {
	return kindTable{Table: t,
		ID:    mapped.PrimaryKey(t, &k.ID),
		UID:   mapped.Col(t, &k.UID, mapped.Type(dialect.Type{Kind: dialect.String})),
		NInt:  mapped.Col(t, &k.NInt),
		Blob:  mapped.Col(t, &k.Blob),
		Bytes: mapped.Col(t, &k.Bytes),
		Str:   mapped.Text(t, &k.Str),
		F64:   mapped.Col(t, &k.F64),
		I64:   mapped.Col(t, &k.I64),
		At:    mapped.Col(t, &k.At, mapped.Type(dialect.Type{Kind: dialect.Time})),
	}
})

// kindFloat is the float of row i: extremes first, then large floats
// 256 apart, each exact.
func kindFloat(i int) float64 {
	extremes := [...]float64{math.Inf(1), math.Inf(-1), math.MaxFloat64, -math.MaxFloat64,
		math.SmallestNonzeroFloat64, 1 << 60, 0.1, 1e23, math.Nextafter(1, 2)}
	if i < len(extremes) {
		return extremes[i]
	}
	return 1<<60 + float64(i)*256
}

// kindText is the text of row i: on a dialect that stores any bytes, it
// holds invalid UTF-8 and a NUL byte.
func kindText(f *dialect.Features, i int) string {
	if f.StrictText {
		return fmt.Sprintf("text %d", i)
	}
	return fmt.Sprintf("\xff\x00%d\xc3", i)
}

// newKind returns row i: every value a function of i.
func newKind(f *dialect.Features, i int) *kind {
	base := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	return &kind{
		UID:   newUUID(1, i),
		NInt:  sql.Null[int64]{V: int64(i) * 1e15, Valid: true},
		Blob:  blob{byte(i), byte(i >> 8), 0, 0xff},
		Bytes: []byte{0, byte(i), byte(i >> 8)},
		Str:   kindText(f, i),
		F64:   kindFloat(i),
		I64:   math.MaxInt64 - int64(i),
		At:    valuerTime{base.Add(time.Duration(i) * time.Second)},
	}
}

// checkLongIn runs In and NotIn on col with a list of 601 values: those
// of the even rows of stored rows, then 301 that no row holds, and
// checks that exactly the even rows match In and the odd ones NotIn.
func checkLongIn[V any](t *testing.T, r *repo.Repo[kind], col mapped.Column[kind, V], rows []*kind, absent func(j int) V) {
	t.Helper()
	ctx := context.Background()
	var vs []V
	var even, odd []int64
	for i, row := range rows {
		if i%2 == 0 {
			vs = append(vs, col.Get(row))
			even = append(even, row.ID)
		} else {
			odd = append(odd, row.ID)
		}
	}
	for j := 0; len(vs) < 601; j++ {
		vs = append(vs, absent(j))
	}
	got, err := r.Where(col.In(vs...)).OrderBy(kinds.ID.Asc()).All(ctx)
	if ids := kindIDs(got); err != nil || !slices.Equal(ids, even) {
		t.Errorf("%s In of %d values: got %d rows (%v), want the %d even rows", col, len(vs), len(ids), err, len(even))
	}
	got, err = r.Where(col.NotIn(vs...)).OrderBy(kinds.ID.Asc()).All(ctx)
	if ids := kindIDs(got); err != nil || !slices.Equal(ids, odd) {
		t.Errorf("%s NotIn of %d values: got %d rows (%v), want the %d odd rows", col, len(vs), len(ids), err, len(odd))
	}
}

func kindIDs(rows []*kind) []int64 {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids
}

// TestLongInKinds checks that lists of 601 values compare exactly as the
// same values bound one by one would, for every kind of value that a
// driver converts on its own: a driver.Valuer, sql.Null, a named []byte,
// []byte, text with invalid UTF-8 and NUL bytes, large and infinite
// floats.
func TestLongInKinds(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		f := db.Dialect().Features()
		create(t, db, kinds.Table)
		r := repo.New(db, kinds.Table)
		rows := make([]*kind, 600)
		for i := range rows {
			rows[i] = newKind(f, i)
		}
		if err := r.InsertMany(ctx, rows); err != nil {
			t.Fatal(err)
		}
		checkLongIn(t, r, kinds.UID, rows, func(j int) uuidKey { return newUUID(2, j) })
		checkLongIn(t, r, kinds.NInt, rows, func(j int) sql.Null[int64] { return sql.Null[int64]{V: -int64(j) - 1, Valid: true} })
		checkLongIn(t, r, kinds.Blob, rows, func(j int) blob { return blob{byte(j), 1} })
		checkLongIn(t, r, kinds.Bytes, rows, func(j int) []byte { return []byte{1, byte(j)} })
		checkLongIn(t, r, kinds.Str.Column, rows, func(j int) string { return kindText(f, j) + "absent" })
		checkLongIn(t, r, kinds.F64, rows, func(j int) float64 { return -(1 << 60) - float64(j)*256 })
		checkLongIn(t, r, kinds.I64, rows, func(j int) int64 { return math.MinInt64 + int64(j) })
		checkLongIn(t, r, kinds.At, rows, func(j int) valuerTime { return valuerTime{time.Date(1999, 1, 1, 0, 0, j, 0, time.UTC)} })
	})
}

// TestLongInRefused checks what a long list cannot carry: text that the
// dialect cannot store, and more values than a statement may bind of a
// type that only travels one per parameter.
func TestLongInRefused(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		f := db.Dialect().Features()
		r := repo.New(db, kinds.Table)
		create(t, db, kinds.Table)
		if f.StrictText {
			vs := make([]string, 601)
			for i := range vs {
				vs[i] = fmt.Sprint(i)
			}
			vs[300] = "\xff"
			_, err := r.Where(kinds.Str.In(vs...)).Count(ctx)
			if !errors.Is(err, dialect.ErrInvalidText) || !strings.Contains(err.Error(), "kind.str") {
				t.Errorf("In of invalid UTF-8: got %v, want dialect.ErrInvalidText naming kind.str", err)
			}
		}
		vs := make([]valuerTime, f.MaxParams+1)
		for i := range vs {
			vs[i] = valuerTime{time.Unix(int64(i), 0).UTC()}
		}
		_, err := r.Where(kinds.At.In(vs...)).Count(ctx)
		switch {
		case f.ArrayParams && err != nil:
			t.Errorf("In of %d stamps: %v", len(vs), err)
		case !f.ArrayParams && (err == nil || !strings.Contains(err.Error(), "kind.at")):
			t.Errorf("In of %d stamps: got %v, want an error naming kind.at", len(vs), err)
		}
	})
}
