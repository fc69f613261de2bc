package sqlite

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
)

// Attacks on the gate of Config.OneConnection (single.go): a token never
// given back, a token given back twice, a connection taken without the
// token, a failure the hook hears wrongly.

// holdsToken checks that the one connection is held by someone else: a
// statement on the DB fails as busy. After a token given back twice, the
// token would be free (or a leave would block), and the statement would
// run.
func holdsToken(t *testing.T, db *DB, what string) {
	t.Helper()
	_, err := db.Exec(context.Background(), `UPDATE item SET name = name WHERE id = 0`)
	wantBusy(t, what, err)
}

// free checks that the one connection is free: the token is not held and
// database/sql has the connection back.
func free(t *testing.T, db *DB, what string) {
	t.Helper()
	if n := db.SQL().Stats().InUse; n != 0 {
		t.Fatalf("%s: database/sql has %d connection in use", what, n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := db.Exec(ctx, `UPDATE item SET name = name WHERE id = 0`); err != nil {
		t.Fatalf("%s: a statement on the DB = %v, want nil", what, err)
	}
}

// pin takes the token with a Conn, so that a later token given back twice
// shows as a statement that runs.
func pin(t *testing.T, db *DB) dialect.Conn {
	t.Helper()
	c, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestReview1RowsDoneTwice: rows read to the end, then Next and Close
// called again, after another holder took the connection, give nothing
// back a second time; so do rows closed twice.
func TestReview1RowsDoneTwice(t *testing.T) {
	ctx := context.Background()
	db := openOne(t, 30*time.Millisecond)
	exec(t, db, `INSERT INTO item (id, name) VALUES (1, 'a'), (2, 'b')`)

	r, err := db.Query(ctx, `SELECT name FROM item`)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
	}
	c := pin(t, db)
	if r.Next() {
		t.Fatal("Next after the end = true")
	}
	_ = r.Close()
	_ = r.Close()
	holdsToken(t, db, "after rows done twice")
	c.Release()
	free(t, db, "after Release")

	r, err = db.Query(ctx, `SELECT name FROM item`)
	if err != nil {
		t.Fatal(err)
	}
	_ = r.Close()
	c = pin(t, db)
	_ = r.Close()
	if r.Next() {
		t.Fatal("Next after Close = true")
	}
	holdsToken(t, db, "after rows closed twice")
	c.Release()
	free(t, db, "after Release")
}

// TestReview1RowsAbandonedAfterError: rows whose Scan failed, and rows
// whose statement failed after a first row (an integer overflow on the
// second), give the connection back when closed or read to the end.
func TestReview1RowsAbandonedAfterError(t *testing.T) {
	ctx := context.Background()
	db := openOne(t, 30*time.Millisecond)
	exec(t, db, `INSERT INTO item (id, name) VALUES (1, 'a'), (2, 'b')`)

	r, err := db.Query(ctx, `SELECT name FROM item`)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Next() {
		t.Fatal(r.Err())
	}
	var n struct{}
	if err := r.Scan(&n); err == nil {
		t.Fatal("Scan into a struct succeeded")
	}
	holdsToken(t, db, "rows open after a failed Scan")
	_ = r.Close()
	free(t, db, "after the rows of a failed Scan were closed")

	const failing = `SELECT CASE WHEN id = 2 THEN abs(-9223372036854775807 - 1) ELSE id END FROM item ORDER BY id`
	for _, close := range []bool{false, true} {
		r, err = db.Query(ctx, failing)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Next() {
			t.Fatalf("no first row: %v", r.Err())
		}
		if !close {
			if r.Next() {
				t.Fatal("the overflowing row came back")
			}
			if r.Err() == nil {
				t.Fatal("no error for the overflowing row")
			}
			free(t, db, "after Next stopped at an error")
			if err := r.Close(); err == nil {
				t.Fatal("Close after the error = nil")
			}
		} else {
			_ = r.Close()
		}
		free(t, db, "after the failed rows were closed")
	}
}

// TestReview1RowsContextEnded: rows whose context ends stop at the next
// Next, and give the token back only once database/sql has the connection
// back: the next holder must not wait for database/sql's connection in
// turn. database/sql reports the end of the context to Next before it has
// closed the rows, on another goroutine, so the window is narrow; the test
// takes it many times.
func TestReview1RowsContextEnded(t *testing.T) {
	db := openOne(t, time.Second)
	exec(t, db, `INSERT INTO item (id, name) VALUES (1, 'a'), (2, 'b')`)
	for i := range 300 {
		ctx, cancel := context.WithCancel(context.Background())
		r, err := db.Query(ctx, `SELECT name FROM item`)
		if err != nil {
			t.Fatal(err)
		}
		cancel()
		for r.(*rows).r.Err() == nil {
			// database/sql has seen the context end.
		}
		if r.Next() {
			t.Fatal("Next after the context ended = true")
		}
		if n := db.SQL().Stats().InUse; n != 0 {
			t.Fatalf("round %d: the token is back while database/sql still has %d connection in use", i, n)
		}
		_ = r.Close()
	}
	free(t, db, "at the end")
}

// TestReview1TxEndedTwice: a transaction committed, rolled back, or whose
// Begin context ended (database/sql then rolls it back by itself), gives
// the token back once: ending it again, while a Conn holds the token,
// leaves the Conn holding it. Read-only transactions and savepoints too;
// a savepoint's end gives nothing back.
func TestReview1TxEndedTwice(t *testing.T) {
	ctx := context.Background()
	db := openOne(t, 30*time.Millisecond)
	for _, tc := range []struct {
		name     string
		ro       bool
		cancel   bool
		commit   bool
		savepint bool
	}{
		{name: "commit", commit: true},
		{name: "rollback"},
		{name: "read-only commit", ro: true, commit: true},
		{name: "read-only rollback", ro: true},
		{name: "cancelled then commit", cancel: true, commit: true},
		{name: "cancelled then rollback", cancel: true},
		{name: "read-only cancelled then commit", ro: true, cancel: true, commit: true},
		{name: "savepoints then commit", savepint: true, commit: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bctx, cancel := context.WithCancel(ctx)
			defer cancel()
			tx, err := db.Begin(bctx, dialect.TxOptions{ReadOnly: tc.ro})
			if err != nil {
				t.Fatal(err)
			}
			if tc.savepint {
				for _, commit := range []bool{true, false} {
					sp, err := tx.Savepoint(ctx)
					if err != nil {
						t.Fatal(err)
					}
					exec(t, sp, `INSERT INTO item (name) VALUES ('sp')`)
					if commit {
						err = sp.Commit(ctx)
					} else {
						err = sp.Rollback(ctx)
					}
					if err != nil {
						t.Fatal(err)
					}
					_ = sp.Rollback(ctx)
					_ = sp.Commit(ctx)
					holdsToken(t, db, "after a savepoint ended")
				}
			}
			if tc.cancel {
				cancel()
				holdsToken(t, db, "a transaction whose context ended, not yet ended by its caller")
			}
			if tc.commit {
				_ = tx.Commit(ctx)
			} else {
				_ = tx.Rollback(ctx)
			}
			free(t, db, "after the transaction ended")
			c := pin(t, db)
			_ = tx.Commit(ctx)
			_ = tx.Rollback(ctx)
			holdsToken(t, db, "after the transaction ended twice")
			c.Release()
			free(t, db, "after Release")
		})
	}
}

// TestReview1ConnBegin: transactions on a pinned Conn, read-write and
// read-only, hold nothing of their own: the Conn holds the token until
// Release, however they end.
func TestReview1ConnBegin(t *testing.T) {
	ctx := context.Background()
	db := openOne(t, 30*time.Millisecond)
	c := pin(t, db)
	for _, ro := range []bool{false, true} {
		tx, err := c.Begin(ctx, dialect.TxOptions{ReadOnly: ro})
		if err != nil {
			t.Fatal(err)
		}
		holdsToken(t, db, "during a transaction of the Conn")
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		_ = tx.Rollback(ctx)
		holdsToken(t, db, "after a transaction of the Conn ended")
	}
	exec(t, c, `INSERT INTO item (name) VALUES ('c')`) // not read-only any more
	c.Release()
	free(t, db, "after Release")
	if n := count(t, db, `SELECT COUNT(*) FROM item`); n != 1 {
		t.Fatalf("rows = %d, want 1", n)
	}
}

// TestReview1HookSeesGate: the hook hears a statement and a Begin refused
// at the gate, with the gate's message, which quotes no value, rather than
// a message withheld as a driver's.
func TestReview1HookSeesGate(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	var events []dialect.Event
	db, err := OpenConfig(ctx, Config{Path: Memory, OneConnection: true, BusyTimeout: 20 * time.Millisecond},
		dialect.WithHook(func(_ context.Context, e dialect.Event) {
			mu.Lock()
			defer mu.Unlock()
			events = append(events, e)
		}))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec(t, db, `CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`)
	tx, err := db.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	last := func() dialect.Event {
		mu.Lock()
		defer mu.Unlock()
		if len(events) == 0 {
			return dialect.Event{}
		}
		return events[len(events)-1]
	}
	for _, tc := range []struct {
		op  dialect.Op
		run func() error
	}{
		{dialect.OpExec, func() error { _, err := db.Exec(ctx, `DELETE FROM item`); return err }},
		{dialect.OpQuery, func() error { _, err := db.Query(ctx, `SELECT name FROM item`); return err }},
		{dialect.OpBegin, func() error { _, err := db.Begin(ctx, dialect.TxOptions{}); return err }},
		{dialect.OpBegin, func() error { _, err := db.Begin(ctx, dialect.TxOptions{ReadOnly: true}); return err }},
	} {
		mu.Lock()
		events = nil
		mu.Unlock()
		err := tc.run()
		wantBusy(t, tc.op.String(), err)
		e := last()
		if e.Op != tc.op {
			t.Fatalf("%s refused at the gate: the hook heard %v, want %v", tc.op, e.Op, tc.op)
		}
		if !errors.Is(e.Err, dialect.ErrRetryable) || !strings.Contains(e.Err.Error(), "one connection") {
			t.Fatalf("%s refused at the gate: the hook's error = %v, want ErrRetryable naming the one connection", tc.op, e.Err)
		}
	}
}

// TestReview1TxContextEnded: a transaction whose Begin context ended,
// which database/sql rolls back by itself on another goroutine, gives the
// token back at Commit or Rollback only once database/sql has the
// connection back: the next holder must not wait for database/sql's
// connection in turn. The window is narrow; the test takes it many times.
func TestReview1TxContextEnded(t *testing.T) {
	db := openOne(t, time.Second)
	for i := range 300 {
		for _, ro := range []bool{false, true} {
			ctx, cancel := context.WithCancel(context.Background())
			tx, err := db.Begin(ctx, dialect.TxOptions{ReadOnly: ro})
			if err != nil {
				t.Fatal(err)
			}
			cancel()
			if i%2 == 0 {
				_ = tx.Commit(context.Background())
			} else {
				_ = tx.Rollback(context.Background())
			}
			if n := db.SQL().Stats().InUse; n != 0 {
				t.Fatalf("round %d (read-only %v): the token is back while database/sql still has %d connection in use", i, ro, n)
			}
		}
	}
	free(t, db, "at the end")
}

// TestReview1Mixed: goroutines mixing every holder of the one connection
// (statements and InsertRowID on the DB, rows read in part, rows and
// transactions whose context ends, savepoints, read-only transactions,
// pinned Conns and their transactions, Ping) take turns without a
// statement waiting in database/sql, a token lost or given back twice
// (run it with -race); every row committed is there at the end.
func TestReview1Mixed(t *testing.T) {
	ctx := context.Background()
	db := openOne(t, 0)
	const workers, each = 6, 60
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	inserted := make([]int64, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				if err := mixedStep(ctx, db, i%9, &inserted[w]); err != nil {
					errc <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	var want int64
	for _, n := range inserted {
		want += n
	}
	free(t, db, "at the end")
	if n := count(t, db, `SELECT COUNT(*) FROM item`); n != want {
		t.Fatalf("rows = %d, want %d", n, want)
	}
}

// mixedStep runs one step of kind k, counting the rows it commits in n.
func mixedStep(ctx context.Context, db *DB, k int, n *int64) error {
	switch k {
	case 0:
		if _, err := db.Exec(ctx, `INSERT INTO item (name) VALUES ('db')`); err != nil {
			return err
		}
		*n++
	case 1:
		if _, _, err := db.InsertRowID(ctx, "item", "id", `INSERT INTO item (name) VALUES ('rowid')`); err != nil {
			return err
		}
		*n++
	case 2: // rows read in part, then closed
		r, err := db.Query(ctx, `SELECT name FROM item`)
		if err != nil {
			return err
		}
		r.Next()
		return r.Close()
	case 3: // rows whose context ends
		qctx, cancel := context.WithCancel(ctx)
		r, err := db.Query(qctx, `SELECT name FROM item`)
		if err != nil {
			cancel()
			return err
		}
		cancel()
		for r.Next() {
		}
		_ = r.Close()
	case 8:
		return db.Ping(ctx)
	default:
		return mixedTxStep(ctx, db, k, n)
	}
	return nil
}

// mixedTxStep runs the steps of mixedStep that hold the connection for a
// transaction or a Conn.
func mixedTxStep(ctx context.Context, db *DB, k int, n *int64) error {
	switch k {
	case 4: // a transaction with savepoints
		tx, err := db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			return err
		}
		sp, err := tx.Savepoint(ctx)
		if err != nil {
			_ = tx.Rollback(ctx)
			return err
		}
		if _, err := sp.Exec(ctx, `INSERT INTO item (name) VALUES ('undone')`); err != nil {
			_ = tx.Rollback(ctx)
			return err
		}
		_ = sp.Rollback(ctx)
		if _, err := tx.Exec(ctx, `INSERT INTO item (name) VALUES ('tx')`); err != nil {
			_ = tx.Rollback(ctx)
			return err
		}
		if err := tx.Commit(ctx); err != nil {
			return err
		}
		*n++
	case 5: // a transaction whose context ends: nothing committed
		tctx, cancel := context.WithCancel(ctx)
		tx, err := db.Begin(tctx, dialect.TxOptions{})
		if err != nil {
			cancel()
			return err
		}
		_, _ = tx.Exec(tctx, `INSERT INTO item (name) VALUES ('lost')`)
		cancel()
		if err := tx.Commit(ctx); err == nil {
			return errors.New("Commit after the Begin context ended = nil")
		}
	case 6: // a read-only transaction, its context ending
		tctx, cancel := context.WithCancel(ctx)
		tx, err := db.Begin(tctx, dialect.TxOptions{ReadOnly: true})
		if err != nil {
			cancel()
			return err
		}
		r, err := tx.Query(tctx, `SELECT name FROM item`)
		if err == nil {
			r.Next()
			cancel()
			_ = r.Close()
		}
		cancel()
		_ = tx.Rollback(ctx)
	case 7: // a pinned Conn and a transaction on it
		c, err := db.Conn(ctx)
		if err != nil {
			return err
		}
		defer c.Release()
		tx, err := c.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO item (name) VALUES ('conn')`); err != nil {
			_ = tx.Rollback(ctx)
			return err
		}
		if err := tx.Commit(ctx); err != nil {
			return err
		}
		*n++
	}
	return nil
}

// TestReview1CloseWhileHeld: Close while a transaction, rows or a Conn
// hold the one connection: the transaction goes on and commits, the rows
// and the Conn end as usual, and a statement on the DB afterwards fails
// saying the database is closed, neither as busy nor waiting.
func TestReview1CloseWhileHeld(t *testing.T) {
	ctx := context.Background()
	for _, holder := range []string{"transaction", "read-only transaction", "rows", "conn"} {
		t.Run(holder, func(t *testing.T) {
			db := openOne(t, time.Minute)
			exec(t, db, `INSERT INTO item (id, name) VALUES (1, 'a')`)
			var end func() error
			switch holder {
			case "transaction", "read-only transaction":
				tx, err := db.Begin(ctx, dialect.TxOptions{ReadOnly: holder != "transaction"})
				if err != nil {
					t.Fatal(err)
				}
				end = func() error {
					if n := count(t, tx, `SELECT COUNT(*) FROM item`); n != 1 {
						t.Fatalf("rows in the transaction after Close = %d, want 1", n)
					}
					return tx.Commit(ctx)
				}
			case "rows":
				r, err := db.Query(ctx, `SELECT name FROM item`)
				if err != nil {
					t.Fatal(err)
				}
				end = func() error {
					for r.Next() {
					}
					return r.Close()
				}
			case "conn":
				c, err := db.Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				end = func() error {
					exec(t, c, `SELECT 1`)
					c.Release()
					return nil
				}
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			if err := end(); err != nil {
				t.Fatalf("the %s after Close: %v", holder, err)
			}
			wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			_, err := db.Exec(wctx, `DELETE FROM item`)
			if err == nil || errors.Is(err, dialect.ErrRetryable) || errors.Is(err, context.DeadlineExceeded) ||
				!strings.Contains(err.Error(), "closed") {
				t.Fatalf("a statement on the closed DB = %v, want an error saying it is closed", err)
			}
		})
	}
}

// TestReview1FailedBegin: a Begin, read-write or read-only, and a Conn
// that fail on a context already ended give the token back; a read-only
// Begin failing on a pinned Conn leaves the Conn writable and holding the
// token.
func TestReview1FailedBegin(t *testing.T) {
	ctx := context.Background()
	db := openOne(t, 30*time.Millisecond)
	ended, cancel := context.WithCancel(ctx)
	cancel()
	for _, ro := range []bool{false, true} {
		if _, err := db.Begin(ended, dialect.TxOptions{ReadOnly: ro}); !errors.Is(err, context.Canceled) {
			t.Fatalf("Begin (read-only %v) on an ended context = %v, want Canceled", ro, err)
		}
		free(t, db, "after a failed Begin")
	}
	if _, err := db.Conn(ended); !errors.Is(err, context.Canceled) {
		t.Fatalf("Conn on an ended context = %v, want Canceled", err)
	}
	free(t, db, "after a failed Conn")

	c := pin(t, db)
	if _, err := c.Begin(ended, dialect.TxOptions{ReadOnly: true}); err == nil {
		t.Fatal("a read-only Begin on a Conn with an ended context succeeded")
	}
	holdsToken(t, db, "after a failed Begin on the Conn")
	exec(t, c, `INSERT INTO item (name) VALUES ('conn')`)
	c.Release()
	free(t, db, "after Release")
}
