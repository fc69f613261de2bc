package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
)

// connStats returns how many statements the driver prepared on c's
// connection and how many it keeps idle.
func connStats(t testing.TB, c dialect.Conn) (prepared, idle int) {
	t.Helper()
	err := c.(*Conn).conn.Raw(func(dc any) error {
		cn, ok := dc.(*conn)
		if !ok {
			return errors.New("the driver connection is not genrepo's")
		}
		cn.mu.Lock()
		prepared = cn.prepared
		cn.mu.Unlock()
		idle = cn.idleLen()
		return nil
	})
	if err != nil {
		t.Fatalf("Raw: %v", err)
	}
	return prepared, idle
}

// A transaction's statements stay prepared on its connection when it
// ends: the next transaction there runs them without preparing them again,
// and they hold no lock in between, so a writer on another connection gets
// the write lock at once (no busy timeout to hide a lock left held).
func TestConnStmtsAcrossTransactions(t *testing.T) {
	t.Parallel()
	for _, path := range []string{Memory, filepath.Join(t.TempDir(), "conn.db")} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			ctx := context.Background()
			db, err := OpenConfig(ctx, Config{Path: path, BusyTimeout: -1})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			t.Cleanup(func() { _ = db.Close() })
			exec(t, db, `CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)`)
			c, err := db.Conn(ctx)
			if err != nil {
				t.Fatalf("Conn: %v", err)
			}
			defer c.Release()

			round := func(i int) {
				t.Helper()
				tx, err := c.Begin(ctx, dialect.TxOptions{})
				if err != nil {
					t.Fatalf("round %d: Begin: %v", i, err)
				}
				// An INSERT … RETURNING whose row is never read, and a
				// SELECT left after its first row: both leave their
				// statement mid-way until their rows are closed.
				rows, err := tx.Query(ctx, `INSERT INTO item (name) VALUES (?) RETURNING id`, "n"+string(rune('a'+i)))
				if err != nil {
					t.Fatalf("round %d: insert: %v", i, err)
				}
				if err := rows.Close(); err != nil {
					t.Fatalf("round %d: close insert: %v", i, err)
				}
				rows, err = tx.Query(ctx, `SELECT id FROM item ORDER BY id`)
				if err != nil {
					t.Fatalf("round %d: select: %v", i, err)
				}
				if !rows.Next() {
					t.Fatalf("round %d: select: no row (%v)", i, rows.Err())
				}
				if err := rows.Close(); err != nil {
					t.Fatalf("round %d: close select: %v", i, err)
				}
				if _, err := tx.Exec(ctx, `UPDATE item SET name = name WHERE id = ?`, 1); err != nil {
					t.Fatalf("round %d: update: %v", i, err)
				}
				var end error
				if i%2 == 0 {
					end = tx.Commit(ctx)
				} else {
					end = tx.Rollback(ctx)
				}
				if end != nil {
					t.Fatalf("round %d: end: %v", i, end)
				}
				// Another connection writes at once: c holds no lock.
				other, err := db.Begin(ctx, dialect.TxOptions{})
				if err != nil {
					t.Fatalf("round %d: after the transaction, another writer: %v", i, err)
				}
				if _, err := other.Exec(ctx, `UPDATE item SET name = name`); err != nil {
					t.Fatalf("round %d: another writer's update: %v", i, err)
				}
				if err := other.Commit(ctx); err != nil {
					t.Fatalf("round %d: another writer's commit: %v", i, err)
				}
			}

			round(0)
			prepared, idle := connStats(t, c)
			if prepared != 3 || idle != 3 {
				t.Errorf("after one transaction: %d statements prepared, %d idle, want 3 and 3", prepared, idle)
			}
			for i := 1; i < 6; i++ {
				round(i)
			}
			if got, _ := connStats(t, c); got != prepared {
				t.Errorf("after five more transactions: %d statements prepared, want still %d", got, prepared)
			}
			if n := count(t, db, `SELECT COUNT(*) FROM item`); n != 3 {
				t.Errorf("%d rows, want the 3 of the committed rounds", n)
			}
		})
	}
}

// A statement is lent to one user at a time: the pool's statement and a
// transaction's on the same connection are two SQLite statements, and a
// statement whose rows are open in the transaction runs again there
// unprepared, so each rows reads its own result.
func TestConnStmtsNotShared(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openCached(t)
	db.SQL().SetMaxOpenConns(1)
	exec(t, db, `INSERT INTO item (name) VALUES ('a'), ('b')`)
	const q = `SELECT name FROM item WHERE id >= ? ORDER BY id`
	if n := count(t, db, `SELECT COUNT(*) FROM item WHERE id >= ?`, 1); n != 2 {
		t.Fatalf("count = %d, want 2", n)
	}
	names := func(ex dialect.Executor) []string {
		t.Helper()
		rows, err := ex.Query(ctx, q, 1)
		if err != nil {
			t.Fatalf("query: %v", err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatalf("scan: %v", err)
			}
			out = append(out, s)
		}
		return out
	}
	if got := names(db); len(got) != 2 {
		t.Fatalf("pool: %v, want 2 names", got)
	}
	for i := range 3 {
		err := dialect.InTx(ctx, db, func(tx dialect.Executor) error {
			outer, err := tx.Query(ctx, q, 1)
			if err != nil {
				return err
			}
			defer outer.Close()
			var seen int
			for outer.Next() {
				seen++
				if got := names(tx); len(got) != 2 {
					t.Errorf("round %d: inner query read %v, want 2 names", i, got)
				}
			}
			if seen != 2 {
				t.Errorf("round %d: outer query read %d rows, want 2", i, seen)
			}
			return outer.Close()
		})
		if err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
	}
	if got := names(db); len(got) != 2 {
		t.Errorf("pool afterwards: %v, want 2 names", got)
	}
}

// Closing the DB finalizes the statements its connections keep idle, and
// a transaction that ends by its context still gives its statements back.
func TestConnStmtsClose(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	ctx, cancel := context.WithCancel(context.Background())
	tx, err := db.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	exec(t, tx, `INSERT INTO item (name) VALUES (?)`, "x")
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		// database/sql rolls the transaction back in the background.
		other, err := db.Begin(context.Background(), dialect.TxOptions{})
		if err == nil {
			_ = other.Rollback(context.Background())
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the write lock is still held after the transaction's context ended: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := count(t, db, `SELECT COUNT(*) FROM item`); n != 0 {
		t.Errorf("%d rows, want none: the transaction was rolled back", n)
	}
	if err := db.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

// sql.Conn.Raw hands over genrepo's connection, whose Unwrap returns the
// driver's own, with its extensions (here Serialize).
func TestConnUnwrap(t *testing.T) {
	t.Parallel()
	db := openCached(t)
	c, err := db.SQL().Conn(context.Background())
	if err != nil {
		t.Fatalf("Conn: %v", err)
	}
	defer c.Close()
	err = c.Raw(func(dc any) error {
		u, ok := dc.(interface{ Unwrap() any })
		if !ok {
			return errors.New("the driver connection has no Unwrap")
		}
		s, ok := u.Unwrap().(interface{ Serialize() ([]byte, error) })
		if !ok {
			return errors.New("Unwrap does not return modernc.org/sqlite's connection")
		}
		b, err := s.Serialize()
		if err == nil && len(b) == 0 {
			err = errors.New("empty serialization")
		}
		return err
	})
	if err != nil {
		t.Error(err)
	}
}
