package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/sqlite"
)

// DB.Close returns without waiting for a transaction still open: new work
// on the DB fails, while the transaction goes on, on the connection it
// holds, and may still commit; its connection is closed when it ends.
// SQLite's alone: database/sql closes only idle connections at once, where
// pgxpool (PostgreSQL) waits for every connection in use (see the postgres
// package's TestCloseWaits).
func TestCloseDoesNotWait(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "close.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, "CREATE TABLE t (n integer)")
	tx, err := db.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, tx, "INSERT INTO t (n) VALUES (1)")

	closed := make(chan error, 1)
	go func() { closed <- db.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("Close with a transaction open = %v", err)
		}
	case <-time.After(time.Minute): // a guard against a hang, not a measure of speed
		t.Fatal("Close did not return while a transaction was open")
	}
	if _, err := db.Exec(ctx, "INSERT INTO t (n) VALUES (3)"); err == nil {
		t.Error("Exec on a closed DB succeeded")
	}
	mustExec(t, tx, "INSERT INTO t (n) VALUES (2)")
	if err := tx.Commit(ctx); err != nil {
		t.Fatalf("Commit of the transaction open at Close = %v, want nil", err)
	}

	again := open(t, path)
	rows, err := again.Query(ctx, "SELECT count(*) FROM t")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var n int
	if !rows.Next() || rows.Scan(&n) != nil || n != 2 {
		t.Errorf("after reopening: %d rows, want 2 (the transaction committed after Close)", n)
	}
}
