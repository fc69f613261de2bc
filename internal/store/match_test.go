package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
)

// gen has a generated key and a column filled by a random default, so
// that each stored row differs in what RETURNING reads back.
type gen struct {
	ID   int64
	Name string
	Seed *float64
}

var gens = mapped.Define("m_gen", func(t *mapped.Table[gen], g *gen) *mapped.Table[gen] {
	mapped.PrimaryKey(t, &g.ID)
	mapped.Text(t, &g.Name)
	mapped.Col(t, &g.Seed, mapped.DefaultSQL("random()"))
	return t
})

// given has a key the program gives, and the same random default.
type given struct {
	Code string
	Seed *float64
}

var givens = mapped.Define("m_given", func(t *mapped.Table[given], g *given) *mapped.Table[given] {
	mapped.PrimaryKey(t, &g.Code)
	mapped.Col(t, &g.Seed, mapped.DefaultSQL("random()"))
	return t
})

// returnedShuffled runs the INSERT of rows that InsertMany would run, then
// hands scanReturned the rows it wrote read back in a random order (a
// SELECT … ORDER BY random() of what the RETURNING clause names) instead
// of the RETURNING rows: the match of returned rows to written rows must
// not depend on the order the database returns them in.
func returnedShuffled[T any](t *testing.T, ex dialect.Executor, s *Table[T], rows []*T, where query.Cond[T]) {
	t.Helper()
	ctx := context.Background()
	bound := make([]insertRow[T], len(rows))
	var buf []any
	for i, row := range rows {
		ir, b, err := s.bindInsert(row, buf)
		if err != nil {
			t.Fatal(err)
		}
		bound[i], buf = ir, b
	}
	p, err := s.insertPlanFor(ex.Dialect(), bound, buf, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ex.Exec(ctx, p.sql, buf...); err != nil {
		t.Fatalf("%s: %v", p.sql, err)
	}
	cols := make([]query.Expr, len(p.ret))
	for i, f := range p.ret {
		cols[i] = f
	}
	stmt := &query.Select{Columns: cols, From: s.t, Where: []query.Condition{where},
		OrderBy: []query.Ordering{query.Asc[T](query.Raw("random()"))}}
	sql, args, err := query.Render(ex.Dialect(), stmt)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ex.Query(ctx, sql, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	if err := s.scanReturned(res, bound, p); err != nil {
		t.Fatalf("scanReturned: %v", err)
	}
}

// Each row written by a multi-row INSERT gets the values of its own stored
// row back, whatever order the returned rows come in.
func TestReturnedRowsMatchedByKey(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		if err := mapped.CreateAll(ctx, db, gens, givens); err != nil {
			t.Fatal(err)
		}
		const n = 60
		g := New(gens, db.Dialect().Features())
		var gs []*gen
		for i := range n {
			gs = append(gs, &gen{Name: fmt.Sprint("g", i)})
		}
		returnedShuffled(t, db, g, gs, query.AllRows[gen]())
		for i, row := range gs {
			stored, err := g.Get(ctx, db, []any{row.ID})
			if err != nil || stored == nil {
				t.Fatalf("row %d: Get(%d): row %v, error %v; want the stored row", i, row.ID, stored, err)
			}
			if stored.Name != row.Name || *stored.Seed != *row.Seed {
				t.Fatalf("row %d (%s) was given key %d and seed %v, which are those of %s (seed %v)",
					i, row.Name, row.ID, *row.Seed, stored.Name, *stored.Seed)
			}
			if i > 0 && row.ID <= gs[i-1].ID {
				t.Fatalf("row %d got key %d after %d: keys must follow the order of the rows", i, row.ID, gs[i-1].ID)
			}
		}

		k := New(givens, db.Dialect().Features())
		var ks []*given
		for i := range n {
			// Keys that sort in another order than the rows.
			ks = append(ks, &given{Code: strings.Repeat("z", n-i) + fmt.Sprint(i%7)})
		}
		returnedShuffled(t, db, k, ks, query.AllRows[given]())
		for i, row := range ks {
			if row.Code != strings.Repeat("z", n-i)+fmt.Sprint(i%7) {
				t.Fatalf("row %d: its key became %q", i, row.Code)
			}
			stored, err := k.Get(ctx, db, []any{row.Code})
			if err != nil || stored == nil {
				t.Fatalf("row %d: Get(%q): row %v, error %v; want the stored row", i, row.Code, stored, err)
			}
			if *stored.Seed != *row.Seed {
				t.Fatalf("row %d (%s) was given seed %v, the stored row has %v", i, row.Code, *row.Seed, *stored.Seed)
			}
		}
	})
}
