package uow_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/integration"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/uow"
)

// Retry runs fn again on retryable errors only, at most the given number
// of times in all.
func TestRetryBound(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		conflict := &dialect.RetryableError{Err: errors.New("injected conflict")}
		other := errors.New("other")
		cases := []struct {
			name      string
			fail      []error // what each run returns; nil after the list
			attempts  int
			wantRuns  int
			wantErr   error
			wantLabel int64
		}{
			{"success", nil, 3, 1, nil, 1},
			{"retried", []error{conflict, conflict}, 3, 3, nil, 1},
			{"exhausted", []error{conflict, conflict, conflict}, 3, 3, dialect.ErrRetryable, 0},
			{"not retryable", []error{other}, 3, 1, other, 0},
			{"no retry option", []error{conflict}, 0, 1, dialect.ErrRetryable, 0},
		}
		for _, tc := range cases {
			if _, err := db.Exec(ctx, `DELETE FROM "label"`); err != nil {
				t.Fatal(err)
			}
			runs := 0
			err := uow.Run(ctx, db, func(u *uow.Unit) error {
				runs++
				if err := uow.Add(u, labels.Table, &label{Name: tc.name}); err != nil {
					return err
				}
				if runs <= len(tc.fail) {
					if err := u.Flush(ctx); err != nil {
						return err
					}
					return tc.fail[runs-1]
				}
				return nil
			}, uow.Retry(tc.attempts, time.Millisecond))
			if runs != tc.wantRuns || !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Errorf("%s: %d runs, error %v; want %d runs, error %v", tc.name, runs, err, tc.wantRuns, tc.wantErr)
			}
			if n := count(t, db, labels.Table); n != tc.wantLabel {
				t.Errorf("%s: %d labels stored, want %d", tc.name, n, tc.wantLabel)
			}
		}
	})
}

// Two SERIALIZABLE units that read the same row and then both write it
// conflict on PostgreSQL: the second writer fails with SQLSTATE 40001,
// runs again and sees the first one's write, so no increment is lost. The
// test is PostgreSQL's alone: SQLite begins writers with BEGIN IMMEDIATE,
// so they wait for each other and never conflict.
func TestRetrySerializationFailure(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a guard against a hang, not an assertion
	defer cancel()
	db := integration.Postgres(t)
	if err := mapped.CreateAll(ctx, db, labels.Table, artists.Table); err != nil {
		t.Fatal(err)
	}
	seed(t, db, artists.Table, &artist{Name: "counter", Born: born})

	const units = 2
	var reached sync.WaitGroup // each unit's first run, once it has read the row
	reached.Add(units)
	all := make(chan struct{})
	go func() { reached.Wait(); close(all) }()

	var runs atomic.Int32
	errs := make([]error, units)
	var wg sync.WaitGroup
	for i := range units {
		wg.Add(1)
		go func() {
			defer wg.Done()
			first := true
			errs[i] = uow.Run(ctx, db, func(u *uow.Unit) error {
				runs.Add(1)
				c, err := uow.Get(ctx, u, artists.Table, 1)
				if first {
					first = false
					reached.Done()
					select {
					case <-all:
					case <-ctx.Done():
						return ctx.Err()
					}
				}
				if err != nil {
					return err
				}
				c.Rating++
				return nil
			}, uow.Isolation(dialect.Serializable), uow.Retry(5, time.Millisecond))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("unit %d: %v", i, err)
		}
	}
	if got := stored(t, db, artists.Table, 1).Rating; got != units {
		t.Errorf("counter = %d, want %d (one increment per unit, as run one after the other)", got, units)
	}
	if n := runs.Load(); n <= units {
		t.Errorf("%d runs of fn for %d units, want a retry after the conflict", n, units)
	}
}

// Options given as a struct work as the functional options do, and the
// isolation level reaches the transaction.
func TestOptions(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		runs := 0
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			runs++
			if db.Dialect().Name() == "postgres" {
				rows, err := u.Tx().Query(ctx, "SHOW transaction_isolation")
				if err != nil {
					return err
				}
				defer rows.Close()
				var level string
				if !rows.Next() || rows.Scan(&level) != nil || level != "serializable" {
					t.Errorf("transaction_isolation = %q, want serializable", level)
				}
			}
			if runs == 1 {
				return &dialect.RetryableError{Err: errors.New("injected")}
			}
			return nil
		}, uow.WithOptions(uow.Options{Isolation: dialect.Serializable, Attempts: 2}))
		if err != nil || runs != 2 {
			t.Errorf("Run = %v after %d runs, want success after 2", err, runs)
		}
	})
}
