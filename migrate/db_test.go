package migrate_test

import (
	"context"
	"crypto/rand"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/connect"
)

// The environment this module's tests read, as genrepo's own tests do:
// the PostgreSQL server to test against, and whether its absence fails
// the tests rather than skipping their PostgreSQL half.
const (
	envDSN     = "GENREPO_POSTGRES_DSN"
	envRequire = "GENREPO_REQUIRE_POSTGRES"
)

// admin is the connection to GENREPO_POSTGRES_DSN's server that creates
// and drops the tests' schemas, opened once per test binary.
var admin = sync.OnceValues(func() (dialect.DB, error) {
	dsn := os.Getenv(envDSN)
	if dsn == "" {
		return nil, errors.New(envDSN + " is not set")
	}
	return connect.Open(context.Background(), dsn)
})

// each runs body once per dialect, as parallel subtests named after it,
// with a fresh empty database that open connects to: each call of open
// is a new pool on the same database, opened with opts and closed when
// the test ends.
func each(t *testing.T, body func(t *testing.T, open func(opts ...dialect.Option) dialect.DB)) {
	t.Helper()
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dsn := freshDSN(t, name)
			body(t, func(opts ...dialect.Option) dialect.DB { return openDSN(t, dsn, opts...) })
		})
	}
}

// freshDSN returns the URL of a new empty database of the named dialect:
// a file in the test's temporary directory, or a schema of its own on
// the PostgreSQL server, dropped with everything in it when the test
// ends.
func freshDSN(t testing.TB, name string) string {
	t.Helper()
	if name == "sqlite" {
		return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	}
	db, err := admin()
	if err != nil {
		if os.Getenv(envRequire) == "1" {
			t.Fatalf("PostgreSQL required (%s=1) but unavailable: %v", envRequire, err)
		}
		t.Skipf("skipping PostgreSQL: %v", err)
	}
	ctx := context.Background()
	schema := "genrepo_migrate_" + strings.ToLower(rand.Text()[:12])
	if _, err := db.Exec(ctx, "CREATE SCHEMA "+dialect.Quote(schema)); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec(context.Background(), "DROP SCHEMA "+dialect.Quote(schema)+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(os.Getenv(envDSN))
	if err != nil || u.Scheme == "" {
		t.Fatalf("%s must be a postgres:// URL: %v", envDSN, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// openDSN opens a pool on dsn, closed when the test ends.
func openDSN(t testing.TB, dsn string, opts ...dialect.Option) dialect.DB {
	t.Helper()
	db, err := connect.Open(context.Background(), dsn, opts...)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// scalar runs a query of one row of one column, failing the test on an
// error or on no row.
func scalar[V any](t testing.TB, ex dialect.Executor, sql string, args ...any) V {
	t.Helper()
	var v V
	rows, err := ex.Query(context.Background(), sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatalf("%s: no row (err %v)", sql, rows.Err())
	}
	if err := rows.Scan(&v); err != nil {
		t.Fatalf("%s: scan: %v", sql, err)
	}
	if err := rows.Close(); err != nil {
		t.Fatalf("%s: close: %v", sql, err)
	}
	return v
}

// tableExists reports whether the table exists, on either dialect.
func tableExists(t testing.TB, db dialect.DB, table string) bool {
	t.Helper()
	if db.Dialect().Name() == "postgres" {
		return scalar[bool](t, db, "SELECT to_regclass($1) IS NOT NULL", table)
	}
	return scalar[int64](t, db, "SELECT count(*) FROM sqlite_master WHERE name = ?", table) > 0
}
