package uow_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// counter is a row with a version column, for optimistic locking.
type counter struct {
	ID      int64
	Name    string
	N       int64
	Version int32
}

type counterTable struct {
	*mapped.Table[counter]
	ID      mapped.Column[counter, int64]
	Name    mapped.TextColumn[counter, string]
	N       mapped.Column[counter, int64]
	Version mapped.Column[counter, int32]
}

var counters = mapped.Define("counter", func(t *mapped.Table[counter], c *counter) counterTable {
	return counterTable{
		Table:   t,
		ID:      mapped.PrimaryKey(t, &c.ID),
		Name:    mapped.Text(t, &c.Name),
		N:       mapped.Col(t, &c.N),
		Version: mapped.Col(t, &c.Version, mapped.Version()),
	}
})

// eachCounter runs body on every dialect with a fresh database holding
// the counter table and one counter row, whose key it passes.
func eachCounter(t *testing.T, body func(t *testing.T, db dialect.DB, id int64)) {
	t.Helper()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		if err := mapped.CreateAll(context.Background(), db, counters.Table); err != nil {
			t.Fatalf("CreateAll: %v", err)
		}
		c := &counter{Name: "c"}
		seed(t, db, counters.Table, c)
		body(t, db, c.ID)
	})
}

// Insert writes version 1 for a zero version and keeps a version given.
func TestVersionInsert(t *testing.T) {
	t.Parallel()
	eachCounter(t, func(t *testing.T, db dialect.DB, id int64) {
		ctx := context.Background()
		if got := stored(t, db, counters.Table, id).Version; got != 1 {
			t.Errorf("stored version %d after insert, want 1", got)
		}
		r := repo.New(db, counters.Table)
		c := &counter{Name: "given", Version: 7}
		if err := r.Insert(ctx, c); err != nil {
			t.Fatal(err)
		}
		if got := stored(t, db, counters.Table, c.ID).Version; got != 7 {
			t.Errorf("stored version %d, want 7", got)
		}
	})
}

// Two copies of one row: the first update wins, the second is ErrStale
// and changes nothing, whether it writes every column or chosen ones.
func TestVersionStaleUpdate(t *testing.T) {
	t.Parallel()
	eachCounter(t, func(t *testing.T, db dialect.DB, id int64) {
		ctx := context.Background()
		r := repo.New(db, counters.Table)
		a, b := stored(t, db, counters.Table, id), stored(t, db, counters.Table, id)
		a.N = 1
		if err := r.Update(ctx, a); err != nil {
			t.Fatalf("first update: %v", err)
		}
		if a.Version != 2 {
			t.Errorf("row version %d after update, want 2", a.Version)
		}
		cases := []struct {
			name string
			cols []mapped.AnyColumn[counter]
		}{
			{"whole row", nil},
			{"chosen columns", []mapped.AnyColumn[counter]{counters.N}},
			{"version column chosen", []mapped.AnyColumn[counter]{counters.N, counters.Version}},
		}
		for _, tc := range cases {
			b.N = 2
			err := r.Update(ctx, b, tc.cols...)
			if !errors.Is(err, repo.ErrStale) || errors.Is(err, repo.ErrNotFound) {
				t.Errorf("%s: stale update: got %v, want ErrStale only", tc.name, err)
			}
			if b.Version != 1 {
				t.Errorf("%s: stale row's version %d, want 1 still", tc.name, b.Version)
			}
			got := stored(t, db, counters.Table, id)
			if got.N != 1 || got.Version != 2 {
				t.Errorf("%s: stored n=%d version=%d, want n=1 version=2", tc.name, got.N, got.Version)
			}
		}
		// Chosen columns bump the version too.
		a.N = 3
		if err := r.Update(ctx, a, counters.N); err != nil {
			t.Fatal(err)
		}
		if got := stored(t, db, counters.Table, id); got.N != 3 || got.Version != 3 || a.Version != 3 {
			t.Errorf("stored n=%d version=%d, row version %d; want 3, 3, 3", got.N, got.Version, a.Version)
		}
	})
}

// A stale delete leaves the row; an update or delete of a row that is
// gone is ErrNotFound, not ErrStale, and never re-inserts it.
func TestVersionDelete(t *testing.T) {
	t.Parallel()
	eachCounter(t, func(t *testing.T, db dialect.DB, id int64) {
		ctx := context.Background()
		r := repo.New(db, counters.Table)
		a, b := stored(t, db, counters.Table, id), stored(t, db, counters.Table, id)
		if err := r.Update(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := r.Delete(ctx, b); !errors.Is(err, repo.ErrStale) {
			t.Errorf("stale delete: got %v, want ErrStale", err)
		}
		if n := count(t, db, counters.Table); n != 1 {
			t.Errorf("%d rows after a stale delete, want 1", n)
		}
		if err := r.Delete(ctx, a); err != nil {
			t.Fatalf("delete: %v", err)
		}
		for name, err := range map[string]error{"update": r.Update(ctx, a), "delete": r.Delete(ctx, b)} {
			if !errors.Is(err, repo.ErrNotFound) || errors.Is(err, repo.ErrStale) {
				t.Errorf("%s of a deleted row: got %v, want ErrNotFound only", name, err)
			}
		}
		if n := count(t, db, counters.Table); n != 0 {
			t.Errorf("%d rows after deleting, want 0", n)
		}
	})
}

// A unit whose loaded row another writer changed fails its flush with
// ErrFailed wrapping ErrStale; the other writer's change stays.
func TestVersionUnit(t *testing.T) {
	t.Parallel()
	eachCounter(t, func(t *testing.T, db dialect.DB, id int64) {
		ctx := context.Background()
		u := begin(t, db)
		c, err := uow.Get(ctx, u, counters.Table, id)
		if err != nil {
			t.Fatal(err)
		}
		// Two flushes of two changes: each bumps the version once, and a
		// flush with no change writes nothing.
		for want := int32(2); want <= 3; want++ {
			c.N++
			if err := u.Flush(ctx); err != nil {
				t.Fatalf("flush: %v", err)
			}
			if err := u.Flush(ctx); err != nil {
				t.Fatalf("empty flush: %v", err)
			}
			if c.Version != want {
				t.Errorf("version %d after flush, want %d", c.Version, want)
			}
		}
		if err := u.Commit(ctx); err != nil {
			t.Fatal(err)
		}

		for _, op := range []string{"update", "delete"} {
			u := begin(t, db)
			c, err := uow.Get(ctx, u, counters.Table, id)
			if err != nil {
				t.Fatal(err)
			}
			// The other writer works in the unit's transaction, so that
			// SQLite, where the unit holds the write lock, lets it write,
			// on a copy of the row (a load through u.Tx() would return
			// the unit's own).
			other := *c
			other.N = 100
			if err := repo.New(u.Tx(), counters.Table).Update(ctx, &other); err != nil {
				t.Fatal(err)
			}
			if op == "update" {
				c.N = 5
			} else if err := uow.Delete(u, counters.Table, c); err != nil {
				t.Fatal(err)
			}
			err = u.Flush(ctx)
			if !errors.Is(err, uow.ErrFailed) || !errors.Is(err, repo.ErrStale) {
				t.Errorf("%s: flush of a stale row: got %v, want ErrFailed and ErrStale", op, err)
			}
			got, err := repo.New(u.Tx(), counters.Table).Get(ctx, id)
			if err != nil || got.N != 100 {
				t.Errorf("%s: stored row %+v, %v; want the other writer's n=100", op, got, err)
			}
			if err := u.Rollback(ctx); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// Concurrent units incrementing one versioned counter, each re-run on
// ErrStale (or ErrRetryable) by Retry, lose no increment: 16 goroutines
// each run 200 units, and the counter ends equal to the number of units
// that committed, which with enough attempts is every one of them. On
// SQLite the database is a file shared by several connections. With
// -short each goroutine runs 25 units.
func TestVersionConcurrentCounter(t *testing.T) {
	t.Parallel()
	workers, units := 16, 200
	if testing.Short() {
		units = 25
	}
	eachCounter(t, func(t *testing.T, db dialect.DB, id int64) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute) // a guard against a hang, not an assertion
		defer cancel()
		var (
			mu      sync.Mutex
			commits int64
			runs    int64 // runs of fn, retries included
			failed  []error
			wg      sync.WaitGroup
		)
		start := time.Now()
		for range workers {
			wg.Go(func() {
				for range units {
					err := uow.Run(ctx, db, func(u *uow.Unit) error {
						mu.Lock()
						runs++
						mu.Unlock()
						c, err := uow.Get(ctx, u, counters.Table, id)
						if err != nil {
							return err
						}
						c.N++
						return nil
					}, uow.Retry(1000, 100*time.Microsecond))
					mu.Lock()
					if err == nil {
						commits++
					} else {
						failed = append(failed, err)
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		t.Logf("%d units committed, %d gave up, %d runs of fn, in %v", commits, len(failed), runs, time.Since(start))
		for i, err := range failed {
			if i == 10 {
				t.Errorf("… and %d more failed units", len(failed)-i)
				break
			}
			t.Errorf("unit failed after its attempts: %v", err)
		}
		got := stored(t, db, counters.Table, id)
		if got.N != commits {
			t.Errorf("counter %d after %d commits (%d units gave up): lost updates", got.N, commits, len(failed))
		}
		if int64(got.Version) != commits+1 {
			t.Errorf("version %d, want %d (one bump per commit)", got.Version, commits+1)
		}
		if want := int64(workers * units); commits != want {
			t.Errorf("%d units committed, want all %d", commits, want)
		}
	})
}
