package repo_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

// Named string and byte types behave as string and []byte do.
type (
	email string
	photo []byte
)

type contact struct {
	ID    int64
	Mail  email
	Alt   *email
	Photo photo
}

var contacts = mapped.Define("contact", func(t *mapped.Table[contact], c *contact) *mapped.Table[contact] {
	mapped.PrimaryKey(t, &c.ID)
	mapped.Text(t, &c.Mail)
	mapped.Col(t, &c.Alt)
	mapped.Col(t, &c.Photo)
	return t
})

// Text of a named string type is checked as a string is (refused before
// sending where the dialect cannot store it), and a nil named []byte is
// stored as empty bytes, as a nil []byte is.
func TestNamedStringAndBytes(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, contacts)
		r := repo.New(db, contacts)
		c := &contact{Mail: "a@example.com"}
		if err := r.Insert(ctx, c); err != nil {
			t.Fatalf("Insert with a nil named []byte: %v", err)
		}
		got, err := r.Get(ctx, c.ID)
		if err != nil || got.Mail != "a@example.com" || len(got.Photo) != 0 {
			t.Fatalf("Get: %+v, %v", got, err)
		}
		bad, alt := email("a\x00b"), email("x\xff")
		for name, row := range map[string]*contact{
			"named string": {Mail: bad},
			"pointer":      {Mail: "ok", Alt: &alt},
		} {
			err := r.Insert(ctx, row)
			if !db.Dialect().Features().StrictText {
				if err != nil {
					t.Errorf("%s: Insert on SQLite: %v", name, err)
				}
				continue
			}
			if !errors.Is(err, dialect.ErrInvalidText) {
				t.Errorf("%s: Insert of invalid text: %v, want dialect.ErrInvalidText before sending", name, err)
			}
		}
	})
}

// Exists keeps the query's Limit and Offset, as Count does.
func TestExistsKeepsLimit(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newCast(t, db)
		for _, c := range []struct {
			name string
			q    *repo.Query[person]
			want bool
		}{
			{"every row", r.Query(), true},
			{"Limit(0)", r.Query().Limit(0), false},
			{"Limit(1)", r.Query().Limit(1), true},
			{"Offset past the end", r.Query().Offset(6), false},
			{"Offset(5).Limit(0)", r.Query().Offset(5).Limit(0), false},
		} {
			got, err := c.q.Exists(ctx)
			n, cerr := c.q.Count(ctx)
			if err != nil || cerr != nil || got != c.want || got != (n > 0) {
				t.Errorf("%s: Exists %v (%v), Count %d (%v); want %v", c.name, got, err, n, cerr, c.want)
			}
		}
	})
}

// stamped has the nullable types of database/sql beside the plain ones.
type stamped struct {
	ID   int64
	At   time.Time
	NAt  sql.NullTime
	Note sql.NullString
}

var stampeds = mapped.Define("stamped", func(t *mapped.Table[stamped], s *stamped) *mapped.Table[stamped] {
	mapped.PrimaryKey(t, &s.ID)
	mapped.Col(t, &s.At)
	mapped.Col(t, &s.NAt, mapped.Name("nat"))
	mapped.Col(t, &s.Note)
	return t
})

// sql.NullTime and sql.NullString are stored, compared and read back as
// time.Time and string are: a NullTime equals the same instant in a
// time.Time column, and text a dialect cannot store is refused.
func TestNullTimeAndNullString(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, stampeds)
		r := repo.New(db, stampeds)
		at := time.Date(2024, 3, 1, 11, 30, 0, 500_000_000, time.FixedZone("", 2*3600))
		s := &stamped{At: at, NAt: sql.NullTime{Time: at, Valid: true}, Note: sql.NullString{String: "n", Valid: true}}
		if err := r.Insert(ctx, s); err != nil {
			t.Fatal(err)
		}
		res, err := db.Query(ctx, `SELECT COUNT(*) FROM stamped WHERE at = nat`)
		if err != nil {
			t.Fatal(err)
		}
		var same int
		for res.Next() {
			if err := res.Scan(&same); err != nil {
				t.Fatal(err)
			}
		}
		if err := res.Close(); err != nil || same != 1 {
			t.Errorf("rows whose NullTime equals the same time.Time: %d (%v), want 1", same, err)
		}
		got, err := r.Get(ctx, s.ID)
		if err != nil || !got.NAt.Valid || !got.NAt.Time.Equal(at) || got.NAt.Time.Location() != time.UTC || got.Note != s.Note {
			t.Errorf("Get: %+v (%v), want NAt %v in UTC and Note %v", got, err, at, s.Note)
		}
		err = r.Insert(ctx, &stamped{At: at, Note: sql.NullString{String: "a\x00b", Valid: true}})
		if db.Dialect().Features().StrictText && !errors.Is(err, dialect.ErrInvalidText) {
			t.Errorf("Insert of a NullString with a NUL: %v, want dialect.ErrInvalidText before sending", err)
		}
	})
}
