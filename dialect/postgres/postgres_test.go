package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/postgres"
	"github.com/genrepo/genrepo/internal/testdb"
)

func mustExec(t testing.TB, ex dialect.Executor, sql string, args ...any) {
	t.Helper()
	if _, err := ex.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// On PostgreSQL a failed statement aborts the whole transaction: later
// statements are refused, and Commit rolls back and says so.
func TestFailedStatementAbortsTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.Postgres(t)
	mustExec(t, db, "CREATE TABLE t (n integer UNIQUE)")
	tx, err := db.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, tx, "INSERT INTO t (n) VALUES (1)")
	if _, err := tx.Exec(ctx, "INSERT INTO t (n) VALUES (1)"); !errors.Is(err, dialect.ErrUnique) {
		t.Fatalf("duplicate = %v, want ErrUnique", err)
	}
	_, err = tx.Exec(ctx, "INSERT INTO t (n) VALUES (2)")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "25P02" {
		t.Errorf("statement after a failure = %v, want SQLSTATE 25P02", err)
	}
	err = tx.Commit(ctx)
	if !errors.Is(err, pgx.ErrTxCommitRollback) {
		t.Errorf("Commit of a failed transaction = %v, want pgx.ErrTxCommitRollback", err)
	}
	if err := tx.Rollback(ctx); !errors.Is(err, dialect.ErrTxDone) {
		t.Errorf("Rollback after Commit = %v, want ErrTxDone", err)
	}
	rows, err := db.Query(ctx, "SELECT count(*) FROM t")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var n int64
	if !rows.Next() || rows.Scan(&n) != nil || n != 0 {
		t.Errorf("%d rows after the failed transaction, want 0", n)
	}
}

// timestamptz keeps microseconds; pgx sends times in binary, so finer
// digits are cut off rather than rounded, as dialect.FormatTime does.
func TestTimePrecision(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.Postgres(t)
	mustExec(t, db, "CREATE TABLE t (at timestamptz)")
	in := time.Date(2024, 5, 6, 7, 8, 9, 123456999, time.FixedZone("X", 3600))
	mustExec(t, db, "INSERT INTO t (at) VALUES ($1)", in)
	rows, err := db.Query(ctx, "SELECT at FROM t")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got time.Time
	if !rows.Next() {
		t.Fatal(rows.Err())
	}
	if err := rows.Scan(&got); err != nil {
		t.Fatal(err)
	}
	if want := in.Truncate(dialect.TimePrecision); !got.Equal(want) {
		t.Errorf("read back %v, want %v", got, want)
	}
	back, err := dialect.ParseTime(dialect.FormatTime(in))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(back) {
		t.Errorf("PostgreSQL keeps %v, SQLite's text form keeps %v", got, back)
	}
}

func TestRawAccess(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, ok := testdb.Postgres(t).(*postgres.DB)
	if !ok {
		t.Fatal("testdb.Postgres did not return a *postgres.DB")
	}
	if err := db.Pool().Ping(ctx); err != nil {
		t.Errorf("Pool().Ping: %v", err)
	}
	c, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Release()
	var one int
	if err := c.(*postgres.Conn).Raw().QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Errorf("Conn.Raw: %d, %v", one, err)
	}
	tx, err := c.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if err := tx.(*postgres.Tx).Raw().QueryRow(ctx, "SELECT 2").Scan(&one); err != nil || one != 2 {
		t.Errorf("Tx.Raw: %d, %v", one, err)
	}
	if got := db.Dialect().Name(); got != "postgres" {
		t.Errorf("Name = %q", got)
	}
	if got := string(db.Dialect().AppendPlaceholder([]byte("x = "), 12)); got != "x = $12" {
		t.Errorf("placeholder %q, want x = $12", got)
	}
}

func TestOpenErrorsHidePassword(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ url, prefix string }{
		{"postgres://u:secret@localhost:notaport/db", "postgres: bad connection URL"},
		{"postgres://u@localhost/db?password=secret&pool_max_conns=x", "postgres: bad connection URL"},
		{"host=localhost port=notaport password=secret", "postgres: bad connection URL"},
		{"host=localhost port=5432 password='sec ret' sslmode=bogus", "postgres: bad connection URL"},
		{"postgres://u:secret@127.0.0.1:1/db?connect_timeout=5", "postgres: cannot reach 127.0.0.1:1"},
		{"host=127.0.0.1 port=1 user=u password=secret connect_timeout=5", "postgres: cannot reach 127.0.0.1:1"},
	} {
		db, err := postgres.Open(context.Background(), tt.url)
		if err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded", tt.url)
			continue
		}
		if !strings.HasPrefix(err.Error(), tt.prefix) {
			t.Errorf("Open(%q) = %q, want it to start with %q", tt.url, err, tt.prefix)
		}
		if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "sec ret") {
			t.Errorf("Open(%q) error %q reveals the password", tt.url, err)
		}
	}
}
