package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
)

// openOne opens a private in-memory database on one connection that waits
// wait for it.
func openOne(t *testing.T, wait time.Duration) *DB {
	t.Helper()
	db, err := OpenConfig(context.Background(), Config{Path: Memory, OneConnection: true, BusyTimeout: wait})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	exec(t, db, `CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`)
	return db
}

// wantBusy checks that err is the refusal of a statement that waited for
// the one connection.
func wantBusy(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, dialect.ErrRetryable) || !strings.Contains(err.Error(), "one connection") {
		t.Fatalf("%s while the connection is held = %v, want ErrRetryable naming the one connection", what, err)
	}
}

// TestOneConnection: a database of Config.OneConnection is one private
// in-memory database on one connection, and works as any other: writes,
// reads, transactions, read-only transactions, a pinned Conn.
func TestOneConnection(t *testing.T) {
	ctx := context.Background()
	db := openOne(t, time.Second)
	other := openOne(t, time.Second)
	if n := db.SQL().Stats().MaxOpenConnections; n != 1 {
		t.Fatalf("MaxOpenConnections = %d, want 1", n)
	}
	exec(t, db, `INSERT INTO item (id, name) VALUES (1, 'a')`)
	tx, err := db.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	exec(t, tx, `INSERT INTO item (id, name) VALUES (2, 'b')`)
	id, ok, err := tx.(*Tx).InsertRowID(ctx, "item", "id", `INSERT INTO item (name) VALUES ('c')`)
	if err != nil || !ok || id != 3 {
		t.Fatalf("InsertRowID in the transaction = %d, %v, %v; want 3, true, nil", id, ok, err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM item`); n != 3 {
		t.Fatalf("rows after commit = %d, want 3", n)
	}
	if n := count(t, other, `SELECT COUNT(*) FROM item`); n != 0 {
		t.Fatalf("another DB's rows = %d, want 0: each in-memory database is private", n)
	}
	ro, err := db.Begin(ctx, dialect.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, ro, `SELECT COUNT(*) FROM item`); n != 3 {
		t.Fatalf("rows in a read-only transaction = %d, want 3", n)
	}
	if _, err := ro.Exec(ctx, `DELETE FROM item`); err == nil {
		t.Fatal("a write in a read-only transaction succeeded")
	}
	if err := ro.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, c, `SELECT COUNT(*) FROM item`); n != 3 {
		t.Fatalf("rows on a pinned Conn = %d, want 3", n)
	}
	c.Release()
	c.Release() // a second Release gives nothing back twice
	id, ok, err = db.InsertRowID(ctx, "item", "id", `INSERT INTO item (name) VALUES ('d')`)
	if err != nil || !ok || id != 4 {
		t.Fatalf("InsertRowID = %d, %v, %v; want 4, true, nil", id, ok, err)
	}
	if err := db.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestOneConnectionHeld: while a transaction, a pinned Conn or rows hold
// the one connection, a statement on the DB of the same goroutine fails
// after the busy timeout, naming the cause, instead of waiting for itself
// forever; the holder goes on, and once it is done the DB works again.
func TestOneConnectionHeld(t *testing.T) {
	ctx := context.Background()
	db := openOne(t, 50*time.Millisecond)
	exec(t, db, `INSERT INTO item (id, name) VALUES (1, 'a'), (2, 'b')`)

	tx, err := db.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(ctx, `INSERT INTO item (name) VALUES ('x')`)
	wantBusy(t, "Exec on the DB in a transaction", err)
	_, err = db.Query(ctx, `SELECT name FROM item`)
	wantBusy(t, "Query on the DB in a transaction", err)
	_, _, err = db.InsertRowID(ctx, "item", "id", `INSERT INTO item (name) VALUES ('x')`)
	wantBusy(t, "InsertRowID on the DB in a transaction", err)
	_, err = db.Begin(ctx, dialect.TxOptions{})
	wantBusy(t, "Begin in a transaction", err)
	_, err = db.Conn(ctx)
	wantBusy(t, "Conn in a transaction", err)
	wantBusy(t, "Ping in a transaction", db.Ping(ctx))
	exec(t, tx, `INSERT INTO item (id, name) VALUES (3, 'c')`)
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(ctx); !errors.Is(err, dialect.ErrTxDone) {
		t.Fatalf("Rollback after Commit = %v, want ErrTxDone", err)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM item`); n != 3 {
		t.Fatalf("rows after the transaction = %d, want 3", n)
	}

	c, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(ctx, `DELETE FROM item`)
	wantBusy(t, "Exec on the DB while a Conn is pinned", err)
	c.Release()

	// Rows hold the connection until they are closed, or read to the end.
	r, err := db.Query(ctx, `SELECT name FROM item ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(ctx, `DELETE FROM item`)
	wantBusy(t, "Exec on the DB while rows are open", err)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	r, err = db.Query(ctx, `SELECT name FROM item ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
	}
	if n := count(t, db, `SELECT COUNT(*) FROM item`); n != 3 {
		t.Fatalf("rows after reading to the end = %d, want 3", n)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM item`); n != 3 {
		t.Fatalf("rows after a Close past the end = %d, want 3", n)
	}

	// A failed Begin gives the connection back.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := db.Begin(cancelled, dialect.TxOptions{}); err == nil {
		t.Fatal("Begin with a cancelled context succeeded")
	}
	if n := count(t, db, `SELECT COUNT(*) FROM item`); n != 3 {
		t.Fatalf("rows after a failed Begin = %d, want 3", n)
	}
}

// TestOneConnectionNoWait: with a negative busy timeout, a statement that
// finds the connection held fails at once.
func TestOneConnectionNoWait(t *testing.T) {
	ctx := context.Background()
	db := openOne(t, -1)
	tx, err := db.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	_, err = db.Exec(ctx, `DELETE FROM item`)
	wantBusy(t, "Exec with no busy timeout", err)
}

// TestOneConnectionContext: a statement waiting for the connection stops
// when its context ends, with the context's error.
func TestOneConnectionContext(t *testing.T) {
	ctx := context.Background()
	db := openOne(t, time.Minute)
	tx, err := db.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := db.Exec(short, `DELETE FROM item`); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Exec waiting past its context = %v, want DeadlineExceeded", err)
	}
}

// TestOneConnectionConcurrent: goroutines sharing the one connection take
// turns; every transaction's rows are there at the end.
func TestOneConnectionConcurrent(t *testing.T) {
	ctx := context.Background()
	db := openOne(t, 0)
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				if err := insertInTx(ctx, db, w*each+i+1); err != nil {
					errs <- err
					return
				}
				if _, err := db.Exec(ctx, `UPDATE item SET name = name || '.' WHERE id = ?`, w*each+i+1); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM item WHERE name = 'n.'`); n != workers*each {
		t.Fatalf("rows = %d, want %d", n, workers*each)
	}
}

func insertInTx(ctx context.Context, db *DB, id int) error {
	tx, err := db.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `INSERT INTO item (id, name) VALUES (?, 'n')`, id); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// TestOneConnectionLost: when database/sql drops the one connection of an
// in-memory database (the driver reported it bad), the database is gone
// with it; statements then fail saying so instead of running on a new,
// empty database.
func TestOneConnectionLost(t *testing.T) {
	ctx := context.Background()
	db := openOne(t, time.Second)
	exec(t, db, `INSERT INTO item (id, name) VALUES (1, 'a')`)
	c, err := db.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Raw(func(any) error { return driver.ErrBadConn })
	_ = c.Close()
	_, err = db.Query(ctx, `SELECT COUNT(*) FROM item`)
	if err == nil || !strings.Contains(err.Error(), "contents are gone") {
		t.Fatalf("a statement after the connection was lost = %v, want an error saying the contents are gone", err)
	}
}

// TestOneConnectionFile: a file database may be opened on one connection
// too; it keeps its rows across DBs, as a file does.
func TestOneConnectionFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "one.db")
	db, err := OpenConfig(ctx, Config{Path: path, OneConnection: true})
	if err != nil {
		t.Fatal(err)
	}
	exec(t, db, `CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`)
	if err := insertInTx(ctx, db, 1); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if n := count(t, again, `SELECT COUNT(*) FROM item`); n != 1 {
		t.Fatalf("rows in the file = %d, want 1", n)
	}
}
