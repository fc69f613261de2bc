package repo_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

// TestInsertManyFailureLeavesRowsAsGiven checks that a failed InsertMany
// stores nothing and hands back the rows as they were: keys filled by
// earlier statements are taken back, so inserting again works.
func TestInsertManyFailureLeavesRowsAsGiven(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		rows := make([]*person, 2500) // three statements on SQLite and PostgreSQL alike
		for i := range rows {
			rows[i] = &person{Name: "p", Email: fmt.Sprintf("p%d@example.com", i)}
		}
		rows[len(rows)-1].Email = rows[0].Email // the last statement fails
		err := r.InsertMany(ctx, rows)
		if !errors.Is(err, dialect.ErrUnique) {
			t.Fatalf("InsertMany: err = %v, want ErrUnique", err)
		}
		if n := count(t, r); n != 0 {
			t.Errorf("rows stored after a failed InsertMany = %d, want 0", n)
		}
		for i, p := range rows {
			if p.ID != 0 {
				t.Fatalf("row %d kept key %d after the failure, want 0", i, p.ID)
			}
		}
		rows[len(rows)-1].Email = "last@example.com"
		if err := r.InsertMany(ctx, rows); err != nil {
			t.Fatalf("InsertMany again: %v", err)
		}
		if n := count(t, r); n != int64(len(rows)) {
			t.Errorf("rows stored = %d, want %d", n, len(rows))
		}
	})
}

type jsonDoc struct {
	ID   int64
	Body map[string]string
}

var jsonDocs = mapped.Define("json_doc", func(t *mapped.Table[jsonDoc], d *jsonDoc) *mapped.Table[jsonDoc] {
	mapped.PrimaryKey(t, &d.ID)
	mapped.JSON(t, &d.Body)
	return t
})

// TestJSONWithNUL checks that a NUL character inside a JSON value is
// refused before sending on PostgreSQL, whose jsonb cannot hold it, and
// stored on SQLite; a backslash followed by "u0000" is ordinary text.
func TestJSONWithNUL(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, jsonDocs)
		r := repo.New(db, jsonDocs)
		err := r.Insert(ctx, &jsonDoc{Body: map[string]string{"k": "a\x00b"}})
		if db.Dialect().Features().StrictText {
			if !errors.Is(err, dialect.ErrInvalidText) {
				t.Errorf("NUL in JSON: err = %v, want ErrInvalidText", err)
			}
			if n := count(t, r); n != 0 {
				t.Errorf("rows = %d after a refused insert, want 0", n)
			}
		} else if err != nil {
			t.Errorf("NUL in JSON on %s: %v", db.Dialect().Name(), err)
		}
		lit := &jsonDoc{Body: map[string]string{"k": `\u0000`}}
		if err := r.Insert(ctx, lit); err != nil {
			t.Fatalf("backslash-u0000 text: %v", err)
		}
		got, err := r.Get(ctx, lit.ID)
		if err != nil || got.Body["k"] != `\u0000` {
			t.Errorf("read back %q, %v; want the literal text", got.Body["k"], err)
		}
	})
}
