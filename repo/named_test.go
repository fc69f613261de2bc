package repo_test

import (
	"context"
	"errors"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/integration"
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
	mapped.PrimaryKey(t, "id", &c.ID)
	mapped.Text(t, "mail", &c.Mail)
	mapped.Col(t, "alt", &c.Alt)
	mapped.Col(t, "photo", &c.Photo)
	return t
})

// Text of a named string type is checked as a string is (refused before
// sending where the dialect cannot store it), and a nil named []byte is
// stored as empty bytes, as a nil []byte is.
func TestNamedStringAndBytes(t *testing.T) {
	t.Parallel()
	integration.Each(t, func(t *testing.T, db dialect.DB) {
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
	integration.Each(t, func(t *testing.T, db dialect.DB) {
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
