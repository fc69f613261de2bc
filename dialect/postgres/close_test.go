package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
)

// DB.Close waits for every connection in use: it has not returned while a
// transaction is open, a Conn pinned or rows unclosed, and returns once
// they are released. PostgreSQL's alone: pgxpool waits, database/sql
// (SQLite) does not (see the sqlite package's TestCloseDoesNotWait).
func TestCloseWaits(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		hold func(ctx context.Context, db dialect.DB) (release func())
	}{
		{"transaction", func(ctx context.Context, db dialect.DB) func() {
			tx, err := db.Begin(ctx, dialect.TxOptions{})
			if err != nil {
				t.Fatal(err)
			}
			return func() { _ = tx.Rollback(ctx) }
		}},
		{"conn", func(ctx context.Context, db dialect.DB) func() {
			c, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return c.Release
		}},
		{"rows", func(ctx context.Context, db dialect.DB) func() {
			rows, err := db.Query(ctx, "SELECT generate_series(1, 10)")
			if err != nil {
				t.Fatal(err)
			}
			rows.Next()
			return func() { _ = rows.Close() }
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := testdb.Postgres(t)
			release := tc.hold(ctx, db)
			closed := make(chan struct{})
			go func() {
				_ = db.Close()
				close(closed)
			}()
			select {
			case <-closed:
				t.Fatalf("Close returned while a %s held a connection", tc.name)
			case <-time.After(100 * time.Millisecond):
				// Still waiting, as documented. (Waiting longer proves no
				// more; this is no measure of speed.)
			}
			release()
			select {
			case <-closed:
			case <-time.After(time.Minute): // a guard against a hang
				t.Fatalf("Close did not return after the %s was released", tc.name)
			}
			if _, err := db.Exec(ctx, "SELECT 1"); err == nil {
				t.Error("Exec on a closed DB succeeded")
			}
		})
	}
}
