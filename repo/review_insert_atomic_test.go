package repo_test

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/integration"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

// gauge has a column whose database default ('n/a', in a TEXT column)
// cannot be read into its Go field (*int64): an insert that leaves it NULL
// succeeds in the database, and reading the default back then fails.
type gauge struct {
	ID    int64
	Name  string
	Level *int64
}

type gaugeTable struct {
	*mapped.Table[gauge]
	ID    mapped.Column[gauge, int64]
	Name  mapped.Column[gauge, string]
	Level mapped.Column[gauge, *int64]
}

var gauges = mapped.Define("review_gauge", func(t *mapped.Table[gauge], g *gauge) gaugeTable {
	return gaugeTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, "id", &g.ID),
		Name:  mapped.Col(t, "name", &g.Name),
		Level: mapped.Col(t, "level", &g.Level, mapped.Type(dialect.Type{Kind: dialect.String}), mapped.DefaultSQL("'n/a'")),
	}
})

// Insert promises that on any error nothing is written, and InsertMany
// that every row is inserted or none is. When reading RETURNING fails
// after the INSERT itself succeeded (a scan error, or matchReturned not
// finding a row), the error is returned but the rows stay stored: Insert,
// and InsertMany of one statement, run outside any transaction.
func TestReviewInsertErrorLeavesNoRow(t *testing.T) {
	t.Parallel()
	integration.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, gauges.Table)
		r := repo.New(db, gauges.Table)
		if err := r.Insert(ctx, &gauge{Name: "one"}); err == nil {
			t.Fatal("Insert: no error reading 'n/a' into *int64")
		} else if n := count(t, r); n != 0 {
			t.Errorf("Insert returned %v, yet %d row(s) stored; want none", err, n)
		}
		if err := r.InsertMany(ctx, []*gauge{{Name: "a"}, {Name: "b"}}); err == nil {
			t.Fatal("InsertMany: no error reading 'n/a' into *int64")
		} else if n := count(t, r); n != 0 {
			t.Errorf("InsertMany returned %v, yet %d row(s) stored; want none", err, n)
		}
	})
}
