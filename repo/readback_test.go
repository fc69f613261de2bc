package repo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
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
		ID:    mapped.PrimaryKey(t, &g.ID),
		Name:  mapped.Col(t, &g.Name),
		Level: mapped.Col(t, &g.Level, mapped.Type(dialect.Type{Kind: dialect.String}), mapped.DefaultSQL("'n/a'")),
	}
})

// A column read back that its field cannot hold is found only after the
// database stored the row. In a transaction nothing stays stored; outside
// one, the error says that they may be stored.
func TestInsertReadBackError(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, gauges.Table)
		r := repo.New(db, gauges.Table)
		err := dialect.InTx(ctx, db, func(tx dialect.Executor) error {
			return repo.New(tx, gauges.Table).Insert(ctx, &gauge{Name: "one"})
		})
		if err == nil {
			t.Fatal("Insert: no error reading 'n/a' into *int64")
		} else if n := count(t, r); n != 0 {
			t.Errorf("Insert in a transaction returned %v, yet %d row(s) stored; want none", err, n)
		}
		err = dialect.InTx(ctx, db, func(tx dialect.Executor) error {
			return repo.New(tx, gauges.Table).InsertMany(ctx, []*gauge{{Name: "a"}, {Name: "b"}})
		})
		if err == nil {
			t.Fatal("InsertMany: no error reading 'n/a' into *int64")
		} else if n := count(t, r); n != 0 {
			t.Errorf("InsertMany in a transaction returned %v, yet %d row(s) stored; want none", err, n)
		}
		for name, insert := range map[string]func() error{
			"Insert":     func() error { return r.Insert(ctx, &gauge{Name: "one"}) },
			"InsertMany": func() error { return r.InsertMany(ctx, []*gauge{{Name: "a"}, {Name: "b"}}) },
		} {
			if err := insert(); err == nil || !strings.Contains(err.Error(), "its rows may be stored") {
				t.Errorf("%s outside a transaction: %v; want an error saying they may be stored", name, err)
			}
		}
	})
}
