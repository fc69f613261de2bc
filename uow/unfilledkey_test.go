package uow_test

import (
	"context"
	"errors"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/uow"
)

type unfilled struct {
	ID   int64
	Name string
}

type unfilledCols struct {
	*mapped.Table[unfilled]
	ID   mapped.Column[unfilled, int64]
	Name mapped.TextColumn[unfilled, string]
}

var unfilledTable = mapped.Define("unfilled", func(t *mapped.Table[unfilled], u *unfilled) unfilledCols {
	return unfilledCols{Table: t, ID: mapped.PrimaryKey(t, &u.ID), Name: mapped.Text(t, &u.Name)}
})

// A flush adding rows whose generated key the table declares BIGINT
// PRIMARY KEY, with no default, fails as a NULL in a NOT NULL column on
// both dialects, naming the column, and writes nothing (SQLite would
// store a NULL key; PostgreSQL refuses it), leaving the rows' keys zero.
func TestFlushUnfilledKeyRefused(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		if _, err := db.Exec(ctx, `CREATE TABLE "unfilled" ("id" BIGINT PRIMARY KEY, "name" TEXT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		rows := []*unfilled{{Name: "a"}, {Name: "b"}}
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			for _, r := range rows {
				if err := uow.Add(u, unfilledTable.Table, r); err != nil {
					return err
				}
			}
			return nil
		})
		if !errors.Is(err, dialect.ErrNotNull) {
			t.Errorf("flush: %v, want a not-null violation", err)
		}
		var ce *dialect.ConstraintError
		if errors.As(err, &ce) && ce.Column != "id" {
			t.Errorf("violation names column %q, want id (%v)", ce.Column, err)
		}
		t.Log(err)
		if n := testdb.Scalar[int64](t, db, `SELECT count(*) FROM "unfilled"`); n != 0 {
			t.Errorf("%d rows stored, want 0", n)
		}
		for i, r := range rows {
			if r.ID != 0 {
				t.Errorf("row %d given key %d", i, r.ID)
			}
		}
	})
}
