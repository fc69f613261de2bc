package postgres_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/postgres"
	"github.com/genrepo/genrepo/internal/testdb"
)

// These tests are PostgreSQL's alone: they cut the network between the
// pool and the server (testdb.Proxy), which SQLite, running in the
// process, does not have.

// guard bounds a test that could hang; it is not an assertion on speed.
func guard(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// wantOnly checks that err matches want and none of the other connection
// sentinels.
func wantOnly(t *testing.T, what string, err, want error) {
	t.Helper()
	for _, s := range []error{dialect.ErrConnLost, dialect.ErrCannotConnect, dialect.ErrCommitUnknown, dialect.ErrRetryable} {
		if got := errors.Is(err, s); got != (s == want) {
			t.Errorf("%s = %v: errors.Is(err, %v) = %v, want %v", what, err, s, got, s == want)
		}
	}
}

// count returns how many rows of table t hold n, read without the proxy.
func count(t *testing.T, db dialect.DB, n int) int64 {
	t.Helper()
	return testdb.Scalar[int64](t, db, "SELECT count(*) FROM t WHERE n = $1", n)
}

// A network cut in the middle of a transaction fails its next statement,
// whatever its kind, with ErrConnLost, and its Commit too (the connection
// is known closed, so no COMMIT was sent): nothing of it is stored.
func TestCutInTransaction(t *testing.T) {
	t.Parallel()
	ctx := guard(t)
	db, p := testdb.PostgresProxy(t, nil)
	if _, err := db.Exec(ctx, "CREATE TABLE t (n int)"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		run  func(tx dialect.Tx) error
	}{
		{"exec", func(tx dialect.Tx) error { _, err := tx.Exec(ctx, "INSERT INTO t VALUES (2)"); return err }},
		{"exec with arguments", func(tx dialect.Tx) error { _, err := tx.Exec(ctx, "INSERT INTO t VALUES ($1)", 2); return err }},
		{"query", func(tx dialect.Tx) error {
			rows, err := tx.Query(ctx, "INSERT INTO t VALUES ($1) RETURNING n", 2)
			if err != nil {
				return err
			}
			for rows.Next() {
			}
			return rows.Close()
		}},
		{"savepoint", func(tx dialect.Tx) error { _, err := tx.Savepoint(ctx); return err }},
		{"batch", func(tx dialect.Tx) error {
			return dialect.SendBatch(ctx, tx, []dialect.Statement{{SQL: "INSERT INTO t VALUES (2)"}, {SQL: "INSERT INTO t VALUES (2)"}})
		}},
	} {
		tx, err := db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO t VALUES (1)"); err != nil {
			t.Fatal(err)
		}
		p.Cut()
		err = tc.run(tx)
		wantOnly(t, tc.name+" after a cut", err, dialect.ErrConnLost)
		wantOnly(t, "Commit after "+tc.name, tx.Commit(ctx), dialect.ErrConnLost)
		if n := count(t, db, 1) + count(t, db, 2); n != 0 {
			t.Errorf("%s: %d rows stored, want 0", tc.name, n)
		}
	}
}

// A pool that cannot open a connection (the server refuses it, or says it
// is starting up) fails Begin, statements, Conn, Ping and Open with
// ErrCannotConnect, and works again once the server is back. A server
// that refuses the database for good is not ErrCannotConnect.
func TestCannotConnect(t *testing.T) {
	t.Parallel()
	ctx := guard(t)
	db, p := testdb.PostgresProxy(t, func(c *pgxpool.Config) { c.MinConns = 0 })
	calls := map[string]func() error{
		"Begin": func() error {
			tx, err := db.Begin(ctx, dialect.TxOptions{})
			if err == nil {
				_ = tx.Rollback(ctx)
			}
			return err
		},
		"Exec": func() error { _, err := db.Exec(ctx, "SELECT 1"); return err },
		"Query": func() error {
			rows, err := db.Query(ctx, "SELECT 1")
			if err == nil {
				err = rows.Close()
			}
			return err
		},
		"Conn": func() error {
			c, err := db.Conn(ctx)
			if err == nil {
				c.Release()
			}
			return err
		},
		"Ping": func() error { return db.Ping(ctx) },
		"Open": func() error {
			db, err := postgres.Open(ctx, "postgres://postgres@"+p.Addr()+"/postgres?sslmode=disable")
			if err == nil {
				db.Close()
			}
			return err
		},
	}
	for _, mode := range []string{"refused", "starting up"} {
		p.Restart() // the pool's idle connections go too
		if mode == "starting up" {
			p.Starting()
			if err := p.Accept(); err != nil {
				t.Fatal(err)
			}
			p.Starting()
		}
		// The pool drops the connections it had before, found dead.
		for i := 0; i < 8 && !errors.Is(db.Ping(ctx), dialect.ErrCannotConnect); i++ {
		}
		for name, call := range calls {
			err := call()
			wantOnly(t, mode+": "+name, err, dialect.ErrCannotConnect)
			var ce *pgconn.ConnectError
			if !errors.As(err, &ce) {
				t.Errorf("%s: %s = %v: the driver's *pgconn.ConnectError is not reachable", mode, name, err)
			}
		}
		if err := p.Accept(); err != nil {
			t.Fatal(err)
		}
		for name, call := range calls {
			if err := call(); err != nil {
				t.Errorf("%s: %s after the server came back = %v", mode, name, err)
			}
		}
	}

	dsn := "postgres://postgres@" + p.Addr() + "/genrepo_no_such_database?sslmode=disable"
	if _, err := postgres.Open(ctx, dsn); err == nil || errors.Is(err, dialect.ErrCannotConnect) {
		t.Errorf("Open of a database that does not exist = %v, want an error that is not ErrCannotConnect", err)
	}
}

// A COMMIT that the server carried out but whose answer never reached the
// client, the connection cut (or ctx ended) in between, fails with
// ErrCommitUnknown, not ErrConnLost: the row is stored. A Commit whose ctx
// was done before it began sends nothing and commits nothing.
func TestCommitOutcomeUnknown(t *testing.T) {
	t.Parallel()
	ctx := guard(t)
	db, p := testdb.PostgresProxy(t, nil)
	if _, err := db.Exec(ctx, "CREATE TABLE t (n int)"); err != nil {
		t.Fatal(err)
	}
	insert := func(n int) dialect.Tx {
		tx, err := db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO t VALUES ($1)", n); err != nil {
			t.Fatal(err)
		}
		return tx
	}

	tx := insert(1)
	p.CutAfter(false, testdb.IsCommit)
	err := tx.Commit(ctx)
	wantOnly(t, "Commit cut after the server committed", err, dialect.ErrCommitUnknown)
	if p.Cuts() != 1 {
		t.Fatalf("the proxy cut %d connections at COMMIT, want 1", p.Cuts())
	}
	if n := count(t, db, 1); n != 1 {
		t.Errorf("%d rows stored by the cut COMMIT, want 1", n)
	}

	tx = insert(2)
	p.CutAfter(true, testdb.IsCommit)
	cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	err = tx.Commit(cctx)
	cancel()
	wantOnly(t, "Commit whose answer never came before its deadline", err, dialect.ErrCommitUnknown)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Commit past its deadline = %v, want it to match context.DeadlineExceeded too", err)
	}
	if n := count(t, db, 2); n != 1 {
		t.Errorf("%d rows stored by the held COMMIT, want 1", n)
	}

	tx = insert(3)
	done, cancel := context.WithCancel(ctx)
	cancel()
	err = tx.Commit(done)
	if !errors.Is(err, context.Canceled) || errors.Is(err, dialect.ErrCommitUnknown) {
		t.Errorf("Commit with a done context = %v, want context.Canceled, not ErrCommitUnknown", err)
	}
	if n := count(t, db, 3); n != 0 {
		t.Errorf("%d rows stored by a Commit with a done context, want 0", n)
	}
}

// A statement run outside a transaction commits by itself: when its
// connection is lost after it was sent, its outcome is unknown, as a
// COMMIT's, on a pool and on a pinned connection, through Exec, Query and
// a batch. On a pinned connection already closed, nothing is sent:
// ErrConnLost.
func TestStatementOutcomeUnknown(t *testing.T) {
	t.Parallel()
	ctx := guard(t)
	db, p := testdb.PostgresProxy(t, nil)
	if _, err := db.Exec(ctx, "CREATE TABLE t (n int)"); err != nil {
		t.Fatal(err)
	}
	c, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { c.Release() }() // the last of the connections pinned below
	for i, ex := range []dialect.Executor{db, c} {
		calls := []struct {
			name string
			run  func(n int) error
		}{
			{"exec", func(n int) error { _, err := ex.Exec(ctx, "INSERT INTO t VALUES ($1)", n); return err }},
			{"query", func(n int) error {
				rows, err := ex.Query(ctx, "INSERT INTO t VALUES ($1) RETURNING n", n)
				if err != nil {
					return err
				}
				for rows.Next() {
				}
				return rows.Close()
			}},
			{"batch", func(n int) error {
				return dialect.SendBatch(ctx, ex, []dialect.Statement{
					{SQL: "INSERT INTO t VALUES ($1)", Args: []any{n}}, {SQL: "SELECT 1"}})
			}},
		}
		for j, call := range calls {
			n := 1000 + 10*i + j
			p.CutAfter(false, func(typ byte, body []byte) bool {
				return typ == 'B' && bytes.Contains(body, int32Bytes(n))
			})
			if ex == c {
				// The pinned connection was cut before: get a new one.
				c.Release()
				if c, err = db.Conn(ctx); err != nil {
					t.Fatal(err)
				}
				ex = c
			}
			err := call.run(n)
			what := []string{"pool", "conn"}[i] + " " + call.name
			wantOnly(t, what+" cut after it was sent", err, dialect.ErrCommitUnknown)
			if got := count(t, db, n); got != 1 {
				t.Errorf("%s: %d rows stored, want 1", what, got)
			}
		}
	}

	// The pinned connection is closed now: the next statement sends
	// nothing.
	_, err = c.Exec(ctx, "INSERT INTO t VALUES (1)")
	wantOnly(t, "Exec on a pinned connection already closed", err, dialect.ErrConnLost)
	if n := count(t, db, 1); n != 0 {
		t.Errorf("%d rows stored by a closed connection, want 0", n)
	}
}

// int32Bytes is n as pgx binds it to an int column, in binary: four bytes,
// big-endian.
func int32Bytes(n int) []byte {
	return []byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
}
