package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/internal/testdb"
)

func open(t testing.TB, path string, opts ...dialect.Option) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path, opts...)
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func openFile(t testing.TB, opts ...dialect.Option) *sqlite.DB {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "test.db"), opts...)
}

func mustExec(t testing.TB, ex dialect.Executor, sql string, args ...any) {
	t.Helper()
	if _, err := ex.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// pinned takes n connections of the pool at once, so that each is a
// distinct connection, and releases them when the test ends.
func pinned(t testing.TB, db dialect.DB, n int) []dialect.Conn {
	t.Helper()
	conns := make([]dialect.Conn, n)
	for i := range conns {
		c, err := db.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Release)
		conns[i] = c
	}
	return conns
}

// Every connection of the pool, not only the first, gets the settings.
func TestConnectionSettings(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, path, journal string
	}{
		{"file", "", "wal"},
		{"memory", sqlite.Memory, "memory"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := tt.path
			if path == "" {
				path = filepath.Join(t.TempDir(), "settings.db")
			}
			db := open(t, path)
			for i, c := range pinned(t, db, 3) {
				if got := testdb.Scalar[int64](t, c, "PRAGMA foreign_keys"); got != 1 {
					t.Errorf("conn %d: foreign_keys = %d, want 1", i, got)
				}
				if got := testdb.Scalar[int64](t, c, "PRAGMA busy_timeout"); got != 10000 {
					t.Errorf("conn %d: busy_timeout = %d, want 10000", i, got)
				}
				if got := testdb.Scalar[string](t, c, "PRAGMA journal_mode"); got != tt.journal {
					t.Errorf("conn %d: journal_mode = %q, want %q", i, got, tt.journal)
				}
				if got := testdb.Scalar[int64](t, c, "PRAGMA query_only"); got != 0 {
					t.Errorf("conn %d: query_only = %d, want 0", i, got)
				}
				// case_sensitive_like cannot be read back; observe it.
				if got := testdb.Scalar[int64](t, c, "SELECT 'abc' LIKE 'ABC'"); got != 0 {
					t.Errorf("conn %d: 'abc' LIKE 'ABC' = %d, want 0 (case_sensitive_like)", i, got)
				}
			}
		})
	}
}

func TestForeignKeysEnforced(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openFile(t)
	mustExec(t, db, "CREATE TABLE parent (id INTEGER PRIMARY KEY)")
	mustExec(t, db, "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id))")
	mustExec(t, db, "INSERT INTO parent (id) VALUES (1)")
	mustExec(t, db, "INSERT INTO child (id, parent_id) VALUES (1, 1)")
	for _, sql := range []string{
		"INSERT INTO child (id, parent_id) VALUES (2, 2)",
		"UPDATE child SET parent_id = 3 WHERE id = 1",
		"DELETE FROM parent WHERE id = 1",
	} {
		_, err := db.Exec(ctx, sql)
		if !errors.Is(err, dialect.ErrForeignKey) {
			t.Errorf("%s: got %v, want ErrForeignKey", sql, err)
		}
	}
}

// Eight goroutines each increment a counter fifty times, each time reading
// it and writing it back in a transaction. BEGIN IMMEDIATE makes them wait
// for each other rather than fail with SQLITE_BUSY or lose an update.
func TestConcurrentWriters(t *testing.T) {
	t.Parallel()
	const writers, rounds = 8, 50
	ctx := context.Background()
	db := openFile(t)
	mustExec(t, db, "CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
	mustExec(t, db, "INSERT INTO counter (id, n) VALUES (1, 0)")

	increment := func() error {
		tx, err := db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		rows, err := tx.Query(ctx, "SELECT n FROM counter WHERE id = 1")
		if err != nil {
			return err
		}
		var n int64
		if !rows.Next() {
			rows.Close()
			return fmt.Errorf("no counter row: %v", rows.Err())
		}
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE counter SET n = ? WHERE id = 1", n+1); err != nil {
			return err
		}
		return tx.Commit(ctx)
	}

	var wg sync.WaitGroup
	errs := make(chan error, writers*rounds)
	for range writers {
		wg.Go(func() {
			for range rounds {
				if err := increment(); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("writer: %v", err)
	}
	if got := testdb.Scalar[int64](t, db, "SELECT n FROM counter WHERE id = 1"); got != writers*rounds {
		t.Errorf("counter = %d, want %d", got, writers*rounds)
	}
}

// A read-only transaction starts with a deferred BEGIN, so it takes no
// write lock: a writer commits while it is open, and it keeps reading its
// snapshot.
func TestReadOnlyTxDoesNotBlockWriters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openFile(t)
	mustExec(t, db, "CREATE TABLE t (n INTEGER)")
	mustExec(t, db, "INSERT INTO t (n) VALUES (1)")

	ro, err := db.Begin(ctx, dialect.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Rollback(ctx)
	if got := testdb.Scalar[int64](t, ro, "SELECT count(*) FROM t"); got != 1 {
		t.Fatalf("read-only sees %d rows, want 1", got)
	}
	// Were the read-only transaction holding the write lock, this would
	// wait out the busy timeout and fail with SQLITE_BUSY.
	err = dialect.InTx(ctx, db, func(tx dialect.Executor) error {
		_, err := tx.Exec(ctx, "INSERT INTO t (n) VALUES (2)")
		return err
	})
	if err != nil {
		t.Fatalf("writer beside a read-only transaction: %v", err)
	}
	if got := testdb.Scalar[int64](t, ro, "SELECT count(*) FROM t"); got != 1 {
		t.Errorf("read-only transaction sees %d rows after a concurrent commit, want its snapshot's 1", got)
	}
	if err := ro.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if got := testdb.Scalar[int64](t, db, "SELECT count(*) FROM t"); got != 2 {
		t.Errorf("%d rows after commit, want 2", got)
	}
}

// A read-only transaction sets PRAGMA query_only on its connection and must
// clear it before the connection goes back to the pool. With a pool of one
// connection, the next writer gets that very connection.
func TestReadOnlyTxRestoresConnection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openFile(t)
	db.SQL().SetMaxOpenConns(1)
	mustExec(t, db, "CREATE TABLE t (n INTEGER)")
	for _, end := range []string{"commit", "rollback"} {
		ro, err := db.Begin(ctx, dialect.TxOptions{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ro.Exec(ctx, "INSERT INTO t (n) VALUES (1)"); err == nil {
			t.Errorf("%s: INSERT in a read-only transaction succeeded", end)
		}
		if end == "commit" {
			err = ro.Commit(ctx)
		} else {
			err = ro.Rollback(ctx)
		}
		if err != nil {
			t.Fatalf("%s: %v", end, err)
		}
		if _, err := db.Exec(ctx, "INSERT INTO t (n) VALUES (1)"); err != nil {
			t.Errorf("write after a read-only transaction's %s: %v", end, err)
		}
		if got := testdb.Scalar[int64](t, db, "PRAGMA query_only"); got != 0 {
			t.Errorf("query_only = %d after %s, want 0", got, end)
		}
	}
}

// Unlike PostgreSQL, SQLite undoes only the failed statement: the
// transaction goes on and commits the rest.
func TestFailedStatementKeepsTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openFile(t)
	mustExec(t, db, "CREATE TABLE t (n INTEGER UNIQUE)")
	tx, err := db.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, tx, "INSERT INTO t (n) VALUES (1)")
	if _, err := tx.Exec(ctx, "INSERT INTO t (n) VALUES (1)"); !errors.Is(err, dialect.ErrUnique) {
		t.Fatalf("duplicate = %v, want ErrUnique", err)
	}
	mustExec(t, tx, "INSERT INTO t (n) VALUES (2)")
	if err := tx.Commit(ctx); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if got := testdb.Scalar[int64](t, db, "SELECT count(*) FROM t"); got != 2 {
		t.Errorf("%d rows, want 2", got)
	}
}

func TestMemoryShared(t *testing.T) {
	t.Parallel()
	db := open(t, sqlite.Memory)
	conns := pinned(t, db, 2)
	mustExec(t, conns[0], "CREATE TABLE shared (n INTEGER)")
	mustExec(t, conns[0], "INSERT INTO shared (n) VALUES (42)")
	if got := testdb.Scalar[int64](t, conns[1], "SELECT n FROM shared"); got != 42 {
		t.Errorf("other connection reads %d, want 42", got)
	}

	// Another in-memory database is another database.
	other := open(t, sqlite.Memory)
	if _, err := other.Exec(context.Background(), "SELECT n FROM shared"); err == nil {
		t.Error("a second in-memory database sees the first one's table")
	}
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	for _, path := range []string{
		"",
		"a\x00b.db",
		filepath.Join(dir, "no", "such", "dir", "x.db"),
	} {
		db, err := sqlite.Open(ctx, path)
		if err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded", path)
			continue
		}
		if !strings.HasPrefix(err.Error(), "sqlite: ") {
			t.Errorf("Open(%q) error %q lacks the package prefix", path, err)
		}
	}
}

// Characters that mean something in a URI filename are part of the name.
func TestOpenPathWithURICharacters(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, name := range []string{"a?mode=ro.db", "b#frag.db", "c%41.db", "d e.db"} {
		path := filepath.Join(dir, name)
		db := open(t, path)
		mustExec(t, db, "CREATE TABLE t (n INTEGER)")
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%q: database file not created under its own name: %v", name, err)
		}
	}
}
