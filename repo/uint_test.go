package repo_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

type counter struct {
	ID   int64
	Hits uint64
	Size *uint
}

type counterTable struct {
	*mapped.Table[counter]
	ID   mapped.Column[counter, int64]
	Hits mapped.Column[counter, uint64]
	Size mapped.Column[counter, *uint]
}

var counters = mapped.Define("counter", func(t *mapped.Table[counter], c *counter) counterTable {
	return counterTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, &c.ID),
		Hits:  mapped.Col(t, &c.Hits),
		Size:  mapped.Col(t, &c.Size),
	}
})

// An unsigned integer above the largest int64, which no dialect's integer
// columns hold, is refused before anything is sent, naming the column,
// where a driver would store a negative number or refuse it without
// saying which column; the largest int64 is stored.
func TestUintBeyondInt64(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, counters.Table)
		r := repo.New(db, counters.Table)
		big := uint(math.MaxUint64)
		for name, row := range map[string]*counter{
			"uint64": {Hits: math.MaxInt64 + 1},
			"*uint":  {Size: &big},
		} {
			err := r.Insert(ctx, row)
			if !errors.Is(err, dialect.ErrNotStorable) || !strings.Contains(err.Error(), "counter.") {
				t.Errorf("Insert of a %s above int64: %v; want dialect.ErrNotStorable naming the column", name, err)
			}
		}
		if _, err := r.Where(counters.Hits.Gt(math.MaxUint64)).All(ctx); !errors.Is(err, dialect.ErrNotStorable) {
			t.Errorf("condition with a uint64 above int64: %v; want dialect.ErrNotStorable", err)
		}
		if n, err := r.Query().Count(ctx); err != nil || n != 0 {
			t.Errorf("rows stored: %d (%v), want 0", n, err)
		}
		top := &counter{Hits: math.MaxInt64}
		if err := r.Insert(ctx, top); err != nil {
			t.Fatal(err)
		}
		if got, err := r.Get(ctx, top.ID); err != nil || got.Hits != math.MaxInt64 {
			t.Errorf("Get: %+v (%v), want hits %d", got, err, int64(math.MaxInt64))
		}
	})
}
