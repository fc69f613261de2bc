package uow_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
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
	db := testdb.Postgres(t)
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

// Concurrent units that each read two rows and write one of them, plus a
// new row recording what they read, are a write-skew trap: two units that
// see the same sum can each raise a different row, ending above the
// limit. At SERIALIZABLE (on PostgreSQL, with retries of its serialization
// failures; on SQLite, whose writers take turns) the committed state must
// equal some serial order of the units: ordered by the sum each one saw,
// every sum below the limit was seen by exactly one unit, the unit after
// it saw one more, and the two rows end summing to the limit exactly.
func TestRetrySerialOrder(t *testing.T) {
	t.Parallel()
	const workers, units, limit = 8, 6, 32
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // a guard against a hang, not an assertion
		defer cancel()
		if err := mapped.CreateAll(ctx, db, labels.Table, artists.Table, tracks.Table); err != nil {
			t.Fatal(err)
		}
		seed(t, db, artists.Table, &artist{Name: "a", Born: born}, &artist{Name: "b", Born: born})
		var runs atomic.Int32
		errs := make(chan error, workers*units)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for range units {
					errs <- uow.Run(ctx, db, func(u *uow.Unit) error {
						runs.Add(1)
						both, err := uow.Find(ctx, u, repo.New(u.Tx(), artists.Table).OrderBy(artists.ID.Asc()))
						if err != nil {
							return err
						}
						if len(both) != 2 {
							return fmt.Errorf("read %d artists, want 2", len(both))
						}
						sum := both[0].Rating + both[1].Rating
						if sum < limit {
							both[w%2].Rating++
						}
						return uow.Add(u, tracks.Table, &track{ArtistID: both[w%2].ID, Title: strconv.Itoa(sum)})
					}, uow.Isolation(dialect.Serializable), uow.Retry(200, time.Millisecond))
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("unit failed after its attempts: %v", err)
			}
		}
		a, b := stored(t, db, artists.Table, 1), stored(t, db, artists.Table, 2)
		if a.Rating+b.Rating != limit {
			t.Errorf("ratings %d + %d = %d, want %d: the units were not serialised", a.Rating, b.Rating, a.Rating+b.Rating, limit)
		}
		saw, err := repo.New(db, tracks.Table).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(saw) != workers*units {
			t.Fatalf("%d records of what units read, want %d", len(saw), workers*units)
		}
		seen := map[int]int{}
		for _, tr := range saw {
			n, err := strconv.Atoi(tr.Title)
			if err != nil {
				t.Fatal(err)
			}
			seen[n]++
		}
		for sum := range limit {
			if seen[sum] != 1 {
				t.Errorf("%d units saw the sum %d, want exactly 1 in a serial order", seen[sum], sum)
			}
		}
		if seen[limit] != workers*units-limit {
			t.Errorf("%d units saw the full sum %d, want %d", seen[limit], limit, workers*units-limit)
		}
		t.Logf("%d units, %d runs of fn", workers*units, runs.Load())
	})
}
