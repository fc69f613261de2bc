package sqlite

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
)

// TestMemoryTxPreparesOnItsConnection checks that a statement new to the
// pool, run inside a write transaction on an in-memory database, is
// prepared on the transaction's own connection. Another connection of the
// pool would have to wait for the transaction's lock (the in-memory
// database has no write-ahead log), so the pool must not open one.
func TestMemoryTxPreparesOnItsConnection(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(ctx, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"); err != nil {
		t.Fatal(err)
	}
	err = dialect.InTx(ctx, db, func(tx dialect.Executor) error {
		if _, err := tx.Exec(ctx, "INSERT INTO t (v) VALUES (?)", "a"); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, "SELECT v FROM t")
		if err != nil {
			return err
		}
		return rows.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := db.SQL().Stats().OpenConnections; n != 1 {
		t.Errorf("connections opened = %d, want 1: a statement was prepared outside the transaction", n)
	}
}
