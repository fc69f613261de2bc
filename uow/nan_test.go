package uow_test

import (
	"context"
	"database/sql"
	"math"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/uow"
)

// level is a named float type.
type level float32

// gauge holds NaN in float columns of several forms.
type gauge struct {
	ID    int64
	Name  string
	Value float64
	Level level
	Min   *float64
	Max   sql.Null[float64]
}

type gaugeTable struct {
	*mapped.Table[gauge]
	ID    mapped.Column[gauge, int64]
	Name  mapped.TextColumn[gauge, string]
	Value mapped.Column[gauge, float64]
	Level mapped.Column[gauge, level]
	Min   mapped.Column[gauge, *float64]
	Max   mapped.Column[gauge, sql.Null[float64]]
}

var gauges = mapped.Define("gauge", func(t *mapped.Table[gauge], g *gauge) gaugeTable {
	return gaugeTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, &g.ID),
		Name:  mapped.Text(t, &g.Name),
		Value: mapped.Col(t, &g.Value),
		Level: mapped.Col(t, &g.Level),
		Min:   mapped.Col(t, &g.Min),
		Max:   mapped.Col(t, &g.Max),
	}
})

// TestUnchangedNaN loads a row holding NaN and flushes it unchanged: NaN
// never equals itself in Go, but an unchanged NaN is no change, so no
// UPDATE is written; a change to another column writes that column only.
// On PostgreSQL only: SQLite cannot store NaN (genrepo refuses it there).
func TestUnchangedNaN(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rec := &recorder{}
	db := testdb.Postgres(t, dialect.WithHook(rec.hook))
	if err := mapped.CreateAll(ctx, db, gauges.Table); err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	seed(t, db, gauges.Table, &gauge{Name: "g", Value: nan, Level: level(nan), Min: &nan,
		Max: sql.Null[float64]{V: nan, Valid: true}})

	rec.reset()
	u := begin(t, db)
	g, err := uow.Get(ctx, u, gauges.Table, int64(1))
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(g.Value) || g.Level == g.Level || !math.IsNaN(*g.Min) || !math.IsNaN(g.Max.V) {
		t.Fatalf("loaded %+v, want NaN in every float column", g)
	}
	if err := u.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got := writeOps(rec); got != "" {
		t.Errorf("flush of an unchanged row holding NaN wrote %q, want nothing", got)
	}
	g.Name = "renamed"
	rec.reset()
	if err := u.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if w := rec.writes(); len(w) != 1 || w[0].SQL != `UPDATE "gauge" SET "name" = $1 WHERE "id" = $2` {
		t.Errorf("flush of a renamed row wrote %v, want one UPDATE of name", w)
	}
	if err := u.Commit(ctx); err != nil {
		t.Fatal(err)
	}
}
