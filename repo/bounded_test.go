package repo_test

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

// bounded has columns whose types bound what they hold: a VARCHAR(n), a
// NUMERIC(p,s) and a custom CHAR(n). A value beyond the bound must be
// refused by InsertMany exactly as by Insert, never cut to fit.
type bounded struct {
	ID   int64
	Name string
	Amt  string
	Code string
}

var boundeds = mapped.Define("bounded", func(t *mapped.Table[bounded], b *bounded) *mapped.Table[bounded] {
	mapped.PrimaryKey(t, &b.ID)
	mapped.Text(t, &b.Name, mapped.Size(3))
	mapped.Col(t, &b.Amt, mapped.Type(mapped.Numeric(4, 2)))
	mapped.Text(t, &b.Code, mapped.Type(dialect.Type{Kind: dialect.Custom, Name: "char(2)"}))
	return t
})

func TestInsertManyKeepsBounds(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, boundeds)
		r := repo.New(db, boundeds)
		ok := bounded{Name: "abc", Amt: "12.34", Code: "ab"}
		for _, c := range []struct {
			name string
			bad  bounded
		}{
			{"VARCHAR(3)", bounded{Name: "abcdef", Amt: "1", Code: "a"}},
			{"NUMERIC(4,2)", bounded{Name: "a", Amt: "123.4", Code: "a"}},
			{"custom CHAR(2)", bounded{Name: "a", Amt: "1", Code: "abc"}},
		} {
			one := c.bad
			errOne := r.Insert(ctx, &one)
			for _, badFirst := range []bool{true, false} {
				bad, good := c.bad, ok
				rows := []*bounded{&bad, &good}
				if !badFirst {
					rows = []*bounded{&good, &bad}
				}
				errMany := r.InsertMany(ctx, rows)
				if (errOne == nil) != (errMany == nil) {
					t.Errorf("%s, bad row first %v: Insert: %v; InsertMany: %v; want both to fail or both to succeed",
						c.name, badFirst, errOne, errMany)
				}
				if db.Dialect().Name() == "postgres" && errMany == nil {
					t.Errorf("%s, bad row first %v: InsertMany of %+v stored it, want it refused", c.name, badFirst, c.bad)
				}
				if errMany == nil {
					got, err := r.Get(ctx, bad.ID)
					if err != nil || got.Name != c.bad.Name || got.Code != c.bad.Code {
						t.Errorf("%s: stored %+v (%v), want %+v", c.name, got, err, c.bad)
					}
				}
			}
		}
	})
}
