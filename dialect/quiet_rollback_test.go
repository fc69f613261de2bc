package dialect_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
)

// TestDeferredRollbackIsQuiet checks that the usual defer tx.Rollback(ctx)
// after a Commit returns ErrTxDone without sending anything or reporting a
// failed step to the hook, on every dialect.
func TestDeferredRollbackIsQuiet(t *testing.T) {
	for _, name := range testdb.Dialects {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var events, failures atomic.Int64
			db := testdb.Open(t, name, dialect.WithHook(func(_ context.Context, e dialect.Event) {
				events.Add(1)
				if e.Err != nil {
					failures.Add(1)
				}
			}))
			ctx := context.Background()
			tx, err := db.Begin(ctx, dialect.TxOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(ctx); err != nil {
				t.Fatal(err)
			}
			before := events.Load()
			if err := tx.Rollback(ctx); !errors.Is(err, dialect.ErrTxDone) {
				t.Errorf("Rollback after Commit = %v, want ErrTxDone", err)
			}
			if err := tx.Commit(ctx); !errors.Is(err, dialect.ErrTxDone) {
				t.Errorf("Commit after Commit = %v, want ErrTxDone", err)
			}
			if got := events.Load() - before; got != 0 {
				t.Errorf("hook saw %d events after the commit, want 0", got)
			}
			if n := failures.Load(); n != 0 {
				t.Errorf("hook saw %d failed steps, want 0", n)
			}
		})
	}
}
