package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/genrepo/genrepo/dialect"
)

// These tests look inside the statement cache, so they live in the
// package; the dialect's behaviour as users see it is tested in
// sqlite_test.

func openCached(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	exec(t, db, `CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)`)
	return db
}

func exec(t testing.TB, ex dialect.Executor, query string, args ...any) {
	t.Helper()
	if _, err := ex.Exec(context.Background(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func count(t testing.TB, ex dialect.Executor, query string, args ...any) int64 {
	t.Helper()
	rows, err := ex.Query(context.Background(), query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var n int64
	if !rows.Next() {
		t.Fatalf("%s: no row (err %v)", query, rows.Err())
	}
	if err := rows.Scan(&n); err != nil {
		t.Fatalf("%s: scan: %v", query, err)
	}
	if err := rows.Close(); err != nil {
		t.Fatalf("%s: close: %v", query, err)
	}
	return n
}

// cached returns the pool's statement for query, or nil.
func cached(db *DB, query string) *sql.Stmt {
	cs := db.stmts.lookup(query)
	if cs == nil {
		return nil
	}
	defer db.stmts.release(cs)
	return cs.st
}

// isClosed reports whether st was closed.
func isClosed(t testing.TB, st *sql.Stmt) bool {
	t.Helper()
	_, err := st.Exec()
	return err != nil && strings.Contains(err.Error(), "statement is closed")
}

func TestCacheable(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		sql  string
		want bool
	}{
		{`SELECT 1`, true},
		{"  \n\tselect * from item", true},
		{`INSERT INTO item (name) VALUES (?) RETURNING id`, true},
		{`update item SET name = ?`, true},
		{`DELETE FROM item`, true},
		{`WITH x AS (SELECT 1) SELECT * FROM x`, true},
		{`REPLACE INTO item VALUES (1, 'a')`, true},
		{`VALUES (1)`, true},
		{`CREATE TABLE t (a)`, false},
		{`DROP TABLE item`, false},
		{`PRAGMA foreign_keys`, false},
		{`SAVEPOINT x`, false},
		{`SELECTED`, false},
		{`select_x()`, false},
		{`SELECT`, false},
		{``, false},
		{`-- comment
SELECT 1`, false},
	} {
		if got := cacheable(tt.sql); got != tt.want {
			t.Errorf("cacheable(%q) = %v, want %v", tt.sql, got, tt.want)
		}
	}
}

// A statement run twice on the pool is prepared once; DDL and PRAGMAs are
// not kept.
func TestStmtCacheHit(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	before := db.stmts.len()
	const ins = `INSERT INTO item (name) VALUES (?)`
	exec(t, db, ins, "a")
	st := cached(db, ins)
	if st == nil {
		t.Fatalf("%s not cached after it ran", ins)
	}
	exec(t, db, ins, "b")
	if got := cached(db, ins); got != st {
		t.Errorf("second run prepared %s again", ins)
	}
	const sel = `SELECT COUNT(*) FROM item WHERE name <> ?`
	for range 3 {
		if n := count(t, db, sel, "x"); n != 2 {
			t.Fatalf("count = %d, want 2", n)
		}
	}
	exec(t, db, `CREATE TABLE other (x)`)
	exec(t, db, `PRAGMA user_version = 3`)
	if got, want := db.stmts.len(), before+2; got != want {
		t.Errorf("%d statements cached, want %d (the insert and the select)", got, want)
	}
}

// A statement that cannot be prepared reports the error it would have
// reported unprepared, and is not kept.
func TestStmtCachePrepareError(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	before := db.stmts.len()
	_, err := db.Query(context.Background(), `SELECT x FROM missing`)
	if err == nil || !strings.Contains(err.Error(), "no such table") {
		t.Errorf("query of a missing table: err = %v, want no such table", err)
	}
	if got := db.stmts.len(); got != before {
		t.Errorf("%d statements cached after a failed prepare, want %d", got, before)
	}
}

// Constraint errors of kept statements are translated as before, on the
// pool and in a transaction.
func TestStmtCacheConstraintError(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	ctx := context.Background()
	const ins = `INSERT INTO item (name) VALUES (?)`
	exec(t, db, ins, "dup")
	for range 2 {
		if _, err := db.Exec(ctx, ins, "dup"); !errors.Is(err, dialect.ErrUnique) {
			t.Errorf("duplicate on the pool: err = %v, want ErrUnique", err)
		}
	}
	tx, err := db.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	for range 2 {
		if _, err := tx.Exec(ctx, ins, "dup"); !errors.Is(err, dialect.ErrUnique) {
			t.Errorf("duplicate in a transaction: err = %v, want ErrUnique", err)
		}
	}
}

// Past its capacity the cache closes the least recently used statement, at
// once when it is idle and after its last use when it is in use.
func TestStmtCacheEviction(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	db.stmts.mu.Lock()
	db.stmts.cap = 2
	db.stmts.mu.Unlock()
	q := func(i int) string { return fmt.Sprintf("SELECT %d + COUNT(*) FROM item", i) }

	count(t, db, q(1))
	first := cached(db, q(1))
	count(t, db, q(2))
	count(t, db, q(1)) // q(1) is now the most recently used
	count(t, db, q(3)) // evicts q(2)
	if cached(db, q(2)) != nil {
		t.Errorf("%s still cached, want it evicted", q(2))
	}
	if cached(db, q(1)) != first {
		t.Errorf("%s evicted, want the least recently used one evicted", q(1))
	}
	if got := db.stmts.len(); got != 2 {
		t.Errorf("%d statements cached, want 2", got)
	}

	second := cached(db, q(1))
	count(t, db, q(4))
	count(t, db, q(5)) // evicts q(1), which nobody uses
	if !isClosed(t, second) {
		t.Errorf("evicted idle statement %s is not closed", q(1))
	}

	// A statement in use when evicted stays open until released.
	held := db.stmts.acquire(context.Background(), q(6))
	count(t, db, q(7))
	count(t, db, q(8))
	if cached(db, q(6)) != nil {
		t.Fatalf("%s still cached, want it evicted", q(6))
	}
	var n int64
	if err := held.st.QueryRow().Scan(&n); err != nil || n != 6 {
		t.Errorf("evicted statement in use: got %d, %v; want 6, nil", n, err)
	}
	db.stmts.release(held)
	if !isClosed(t, held.st) {
		t.Errorf("evicted statement not closed after its last use")
	}
}

// Rows read from an evicted statement stay readable.
func TestStmtCacheEvictionWithOpenRows(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	db.stmts.mu.Lock()
	db.stmts.cap = 1
	db.stmts.mu.Unlock()
	ctx := context.Background()
	for i := range 5 {
		exec(t, db, `INSERT INTO item (name) VALUES (?)`, fmt.Sprint(i))
	}
	rows, err := db.Query(ctx, `SELECT name FROM item ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
		count(t, db, fmt.Sprintf("SELECT %d", len(got))) // evicts the statement being read
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "") != "01234" {
		t.Errorf("rows read while their statement was evicted = %v, want 0…4", got)
	}
}

// Close closes every kept statement, and nothing is kept afterwards.
func TestStmtCacheClose(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	const sel = `SELECT COUNT(*) FROM item`
	count(t, db, sel)
	st := cached(db, sel)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if !isClosed(t, st) {
		t.Error("statement still open after DB.Close")
	}
	if got := db.stmts.len(); got != 0 {
		t.Errorf("%d statements cached after Close, want 0", got)
	}
	if _, err := db.Exec(context.Background(), `DELETE FROM item`); err == nil {
		t.Error("Exec after Close succeeded")
	}
}

// In a transaction a statement takes the transaction's form of the pool's
// statement, shared with its savepoints; after commit the pool's statement
// is still in use.
func TestStmtCacheTransaction(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	ctx := context.Background()
	const ins = `INSERT INTO item (name) VALUES (?)`
	const cnt = `SELECT COUNT(*) FROM item`
	exec(t, db, ins, "pool")
	parent := cached(db, ins)

	tx, err := db.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stmts := tx.(*Tx).txStmts
	exec(t, tx, ins, "tx1")
	exec(t, tx, ins, "tx2")
	sp, err := tx.Savepoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	exec(t, sp, ins, "sp")
	if n := count(t, sp, cnt); n != 4 {
		t.Errorf("count in savepoint = %d, want 4", n)
	}
	if err := sp.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, tx, cnt); n != 3 {
		t.Errorf("count after rolling back the savepoint = %d, want 3", n)
	}
	if got := stmts.len(); got != 2 {
		t.Errorf("transaction keeps %d statements, want 2 (insert and count, shared with the savepoint)", got)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, ins, "late"); !errors.Is(err, dialect.ErrTxDone) {
		t.Errorf("Exec after commit: err = %v, want ErrTxDone", err)
	}
	exec(t, db, ins, "after")
	if cached(db, ins) != parent {
		t.Error("the pool's statement changed after a transaction")
	}
	if n := count(t, db, cnt); n != 4 {
		t.Errorf("count after commit = %d, want 4", n)
	}
}

// A statement whose rows are open in a transaction can run again inside
// the loop reading them: SQLite steps one handle through one result, so
// the second run must not reuse it.
func TestStmtCacheNestedInTransaction(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	ctx := context.Background()
	for i := range 3 {
		exec(t, db, `INSERT INTO item (name) VALUES (?)`, fmt.Sprint(i))
	}
	const sel = `SELECT id FROM item WHERE id > ? ORDER BY id`
	err := dialect.InTx(ctx, db, func(tx dialect.Executor) error {
		rows, err := tx.Query(ctx, sel, 0)
		if err != nil {
			return err
		}
		defer rows.Close()
		var outer []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			outer = append(outer, id)
			inner, err := tx.Query(ctx, sel, id)
			if err != nil {
				return err
			}
			n := 0
			for inner.Next() {
				n++
			}
			if err := inner.Close(); err != nil {
				return err
			}
			if want := 3 - len(outer); n != want {
				t.Errorf("inner query after id %d read %d rows, want %d", id, n, want)
			}
			// Exec of the same text must not reset the open rows either.
			if _, err := tx.Exec(ctx, sel, id); err != nil {
				return err
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if len(outer) != 3 {
			t.Errorf("outer query read %d rows, want 3", len(outer))
		}
		// With the rows closed the statement is kept again.
		if count(t, tx, `SELECT COUNT(*) FROM item WHERE id > ?`, 0) != 3 {
			t.Error("count after the loop is not 3")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A statement new to the pool, first run in a transaction on a pool of one
// connection, is prepared for the transaction alone: preparing it on the
// pool would wait for the connection the transaction holds.
func TestStmtCacheTransactionOnLimitedPool(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	db.SQL().SetMaxOpenConns(1)
	ctx := context.Background()
	const ins = `INSERT INTO item (name) VALUES (?)`
	for i := range 2 {
		tx, err := db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		exec(t, tx, ins, fmt.Sprint("a", i))
		exec(t, tx, ins, fmt.Sprint("b", i))
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if cached(db, ins) != nil {
		t.Error("statement prepared on a pool of one connection from inside a transaction")
	}
	exec(t, db, ins, "pool")
	if cached(db, ins) == nil {
		t.Error("statement run on the pool is not kept")
	}
	if n := count(t, db, `SELECT COUNT(*) FROM item`); n != 5 {
		t.Errorf("count = %d, want 5", n)
	}
}

// Read-only transactions and pinned connections run kept and unkept
// statements alike.
func TestStmtCacheReadOnlyAndConn(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	ctx := context.Background()
	exec(t, db, `INSERT INTO item (name) VALUES ('a')`)
	const cnt = `SELECT COUNT(*) FROM item`
	count(t, db, cnt)
	tx, err := db.Begin(ctx, dialect.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, tx, cnt); n != 1 {
		t.Errorf("count in read-only transaction = %d, want 1", n)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO item (name) VALUES ('b')`); err == nil {
		t.Error("insert in a read-only transaction succeeded")
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Release()
	if n := count(t, c, cnt); n != 1 {
		t.Errorf("count on a pinned connection = %d, want 1", n)
	}
	ctx2, err := c.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	exec(t, ctx2, `INSERT INTO item (name) VALUES ('c')`)
	if err := ctx2.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, cnt); n != 2 {
		t.Errorf("count = %d, want 2", n)
	}
}

// SQLite prepares a kept statement again when the schema changes: a table
// dropped and created anew, with its columns in another order, is read
// and written through the statements kept for the old one.
func TestStmtCacheSchemaChange(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	ctx := context.Background()
	const ins = `INSERT INTO item (name) VALUES (?) RETURNING id`
	const sel = `SELECT name FROM item WHERE id = ?`
	readName := func(ex dialect.Executor, id int64) (string, error) {
		rows, err := ex.Query(ctx, sel, id)
		if err != nil {
			return "", err
		}
		defer rows.Close()
		if !rows.Next() {
			return "", fmt.Errorf("no row %d: %v", id, rows.Err())
		}
		var s string
		err = rows.Scan(&s)
		return s, err
	}
	insert := func(ex dialect.Executor, name string) int64 {
		t.Helper()
		rows, err := ex.Query(ctx, ins, name)
		if err != nil {
			t.Fatalf("insert %s: %v", name, err)
		}
		defer rows.Close()
		var id int64
		if !rows.Next() {
			t.Fatalf("insert %s returned no row: %v", name, rows.Err())
		}
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}

	// Prepare the statements on two connections: rows of the first select
	// hold one connection while the second insert and select run on
	// another.
	insert(db, "old-1")
	r1, err := db.Query(ctx, sel, 1)
	if err != nil {
		t.Fatal(err)
	}
	insert(db, "old-2")
	r2, err := db.Query(ctx, sel, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []dialect.Rows{r1, r2} {
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
	}
	insSt, selSt := cached(db, ins), cached(db, sel)

	exec(t, db, `DROP TABLE item`)
	if _, err := readName(db, 1); err == nil || !strings.Contains(err.Error(), "no such table") {
		t.Errorf("kept select of a dropped table: err = %v, want no such table", err)
	}
	exec(t, db, `CREATE TABLE item (extra INTEGER NOT NULL DEFAULT 7, name TEXT NOT NULL UNIQUE, id INTEGER PRIMARY KEY)`)
	for i := range 4 { // more runs than connections, so each connection sees the change
		name := fmt.Sprint("new-", i)
		id := insert(db, name)
		got, err := readName(db, id)
		if err != nil || got != name {
			t.Errorf("read back row %d of the new table: %q, %v; want %q", id, got, err, name)
		}
	}
	if n := count(t, db, `SELECT COUNT(*) FROM item WHERE extra = 7`); n != 4 {
		t.Errorf("new table has %d rows, want 4", n)
	}

	// The same in a transaction, whose connection kept the old statements.
	err = dialect.InTx(ctx, db, func(tx dialect.Executor) error {
		insert(tx, "tx-before")
		if _, err := tx.Exec(ctx, `DROP TABLE item`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE item (name TEXT NOT NULL, id INTEGER PRIMARY KEY)`); err != nil {
			return err
		}
		id := insert(tx, "tx-after")
		got, err := readName(tx, id)
		if err != nil || got != "tx-after" {
			t.Errorf("read back in the transaction: %q, %v; want tx-after", got, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM item`); n != 1 {
		t.Errorf("table created in the transaction has %d rows, want 1", n)
	}
	if cached(db, ins) != insSt || cached(db, sel) != selSt {
		t.Error("schema changes replaced kept statements; SQLite should prepare them again itself")
	}
}

// Many goroutines share a cache too small for their statements, on the
// pool and in transactions with savepoints: with -race this checks the
// cache's locking, and the counts check that no statement was lost or
// closed under a user.
func TestStmtCacheConcurrent(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	db.stmts.mu.Lock()
	db.stmts.cap = 3
	db.stmts.mu.Unlock()
	ctx := context.Background()
	const workers, rounds = 6, 40
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range rounds {
				name := fmt.Sprintf("w%d-%d", w, i)
				var err error
				switch i % 3 {
				case 0:
					_, err = db.Exec(ctx, `INSERT INTO item (name) VALUES (?)`, name)
				case 1:
					err = dialect.InTx(ctx, db, func(tx dialect.Executor) error {
						if _, err := tx.Exec(ctx, `INSERT INTO item (name) VALUES (?)`, name); err != nil {
							return err
						}
						return dialect.InTx(ctx, tx, func(sp dialect.Executor) error {
							_, err := sp.Exec(ctx, `UPDATE item SET name = name || '' WHERE name = ?`, name)
							return err
						})
					})
				default:
					var rows dialect.Rows
					rows, err = db.Query(ctx, fmt.Sprintf(`SELECT id FROM item WHERE id %% %d = 0`, w+1))
					if err == nil {
						for rows.Next() {
						}
						err = rows.Close()
					}
				}
				if err != nil {
					t.Errorf("worker %d round %d: %v", w, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	var want int64 // rounds that insert: those not ≡ 2 (mod 3)
	for i := range rounds {
		if i%3 != 2 {
			want += workers
		}
	}
	if n := count(t, db, `SELECT COUNT(*) FROM item`); n != want {
		t.Errorf("%d rows inserted, want %d", n, want)
	}
	if got := db.stmts.len(); got > 3 {
		t.Errorf("%d statements cached, over the capacity of 3", got)
	}
}

// A transaction's statement found closed (database/sql closes them when a
// transaction ends, also when its context is canceled) makes the statement
// run unprepared, which then reports why.
func TestStmtCacheClosedTxStatement(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	ctx := context.Background()
	const ins = `INSERT INTO item (name) VALUES (?)`
	const cnt = `SELECT COUNT(*) FROM item`
	tx, err := db.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	exec(t, tx, ins, "a")
	count(t, tx, cnt)
	stmts := tx.(*Tx).txStmts
	for _, q := range []string{ins, cnt} {
		if err := stmts.m[q].st.Close(); err != nil {
			t.Fatal(err)
		}
	}
	exec(t, tx, ins, "b")
	if n := count(t, tx, cnt); n != 2 {
		t.Errorf("count = %d, want 2", n)
	}
}

// A transaction keeps a statement only once it has run without error:
// database/sql reports a failure to make a transaction's statement (a
// table missing, a canceled context) each time the statement runs, which
// must not outlive the cause.
func TestStmtCacheTransactionKeepsNoFailure(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	ctx := context.Background()
	const sel = `SELECT COUNT(*) FROM later`
	const ins = `INSERT INTO item (name) VALUES (?)`
	count(t, db, `SELECT COUNT(*) FROM item`)
	exec(t, db, ins, "pool") // the pool keeps ins
	tx, err := db.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Query(ctx, sel); err == nil || !strings.Contains(err.Error(), "no such table") {
		t.Fatalf("query of a missing table: err = %v, want no such table", err)
	}
	exec(t, tx, `CREATE TABLE later (x)`)
	exec(t, tx, `INSERT INTO later VALUES (1)`)
	if n := count(t, tx, sel); n != 1 {
		t.Errorf("count = %d, want 1", n)
	}

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := tx.Exec(canceled, ins, "x"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Exec with a canceled context: err = %v, want context.Canceled", err)
	}
	exec(t, tx, ins, "after")
	exec(t, tx, ins, "again")
	if n := count(t, tx, `SELECT COUNT(*) FROM item`); n != 3 {
		t.Errorf("count = %d, want 3", n)
	}
}
