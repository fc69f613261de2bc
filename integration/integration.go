// Package integration hands tests a ready database of each dialect and
// runs one body of scenarios on all of them.
//
// SQLite needs nothing: each test gets a database file in its own
// temporary directory. PostgreSQL is found, once per test binary, in this
// order:
//
//  1. the server named by GENREPO_POSTGRES_DSN (postgres://…);
//  2. a container started through testcontainers-go, where a Docker engine
//     answers;
//  3. none: the PostgreSQL half of each test is skipped with one line saying
//     why, or fails when GENREPO_REQUIRE_POSTGRES=1 (as CI sets it).
//
// Each PostgreSQL test gets a schema of its own, created empty and dropped
// with everything in it when the test ends, so tests run in parallel
// without seeing each other's tables.
//
//	func TestInsert(t *testing.T) {
//		integration.Each(t, func(t *testing.T, db dialect.DB) {
//			// the same body runs on sqlite and on postgres
//		})
//	}
//
// For the network's failures, PostgresProxy opens a pool whose
// connections go through a Proxy, which cuts them, refuses new ones as a
// stopped server does, answers them as a server starting up, or cuts one
// right after the server answered a chosen message (a COMMIT), without
// touching the server other tests share. Scalar reads the one value of a
// query.
package integration

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	tcpostgres "github.com/testcontainers/testcontainers-go/modules/postgres"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/postgres"
	"github.com/genrepo/genrepo/dialect/sqlite"
)

// Environment variables read by this package.
const (
	// EnvDSN names the PostgreSQL server to test against.
	EnvDSN = "GENREPO_POSTGRES_DSN"
	// EnvRequire, set to 1, turns a missing PostgreSQL into a failure.
	EnvRequire = "GENREPO_REQUIRE_POSTGRES"
)

// Dialects lists the dialects Each runs on, in order.
var Dialects = []string{"sqlite", "postgres"}

// Each runs body once per dialect, as parallel subtests named after the
// dialect, each with a fresh empty database. opts (a statement hook, say)
// are passed to the dialect's Open.
func Each(t *testing.T, body func(t *testing.T, db dialect.DB), opts ...dialect.Option) {
	t.Helper()
	for _, name := range Dialects {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body(t, Open(t, name, opts...))
		})
	}
}

// Open returns a fresh empty database of the named dialect ("sqlite" or
// "postgres"), closed and removed when the test ends. On PostgreSQL it
// skips or fails the test, as the package documentation says, when no
// server can be had.
func Open(t testing.TB, name string, opts ...dialect.Option) dialect.DB {
	t.Helper()
	switch name {
	case "sqlite":
		return SQLite(t, opts...)
	case "postgres":
		return Postgres(t, opts...)
	}
	t.Fatalf("integration: unknown dialect %q", name)
	return nil
}

// SQLite returns a new SQLite database in a file of the test's temporary
// directory.
func SQLite(t testing.TB, opts ...dialect.Option) dialect.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), opts...)
	if err != nil {
		t.Fatalf("integration: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// Postgres returns a pool whose connections see only a new schema of
// their own, dropped when the test ends.
func Postgres(t testing.TB, opts ...dialect.Option) dialect.DB {
	t.Helper()
	return PostgresConfig(t, nil, opts...)
}

// PostgresConfig is Postgres with configure applied to the pool's
// configuration before it opens, for a test that needs to see the
// connections themselves (a DialFunc counting round trips, say).
func PostgresConfig(t testing.TB, configure func(*pgxpool.Config), opts ...dialect.Option) dialect.DB {
	t.Helper()
	srv := requireServer(t)
	ctx := context.Background()
	schema := "genrepo_test_" + strings.ToLower(rand.Text()[:12])
	if _, err := srv.admin.Exec(ctx, "CREATE SCHEMA "+dialect.Quote(schema)); err != nil {
		t.Fatalf("integration: create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := srv.admin.Exec(context.Background(), "DROP SCHEMA "+dialect.Quote(schema)+" CASCADE"); err != nil {
			t.Errorf("integration: drop schema %s: %v", schema, err)
		}
	})
	cfg, err := pgxpool.ParseConfig(srv.dsn)
	if err != nil {
		t.Fatalf("integration: %v", err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.MaxConns = 4
	if configure != nil {
		configure(cfg)
	}
	db, err := postgres.OpenConfig(ctx, cfg, opts...)
	if err != nil {
		t.Fatalf("integration: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// requireServer returns the PostgreSQL server, or skips or fails the test
// when there is none, as the package documentation says.
func requireServer(t testing.TB) pgServer {
	t.Helper()
	srv := server()
	if srv.err != nil {
		if os.Getenv(EnvRequire) == "1" {
			t.Fatalf("integration: PostgreSQL required (%s=1) but unavailable: %v", EnvRequire, srv.err)
		}
		t.Skipf("integration: skipping PostgreSQL: %v", srv.err)
	}
	return srv
}

// pgServer is the PostgreSQL server of this test binary.
type pgServer struct {
	dsn   string
	admin *pgxpool.Pool
	err   error
}

// server finds the PostgreSQL server once per test binary.
var server = sync.OnceValue(func() pgServer {
	dsn, err := findDSN()
	if err != nil {
		return pgServer{err: err}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgxpool.New(ctx, dsn)
	if err == nil {
		err = admin.Ping(ctx)
	}
	if err != nil {
		return pgServer{err: fmt.Errorf("cannot connect to %s: %w", dialect.Redact(dsn), err)}
	}
	return pgServer{dsn: dsn, admin: admin}
})

// findDSN reads GENREPO_POSTGRES_DSN, or starts a container.
func findDSN() (string, error) {
	if dsn := os.Getenv(EnvDSN); dsn != "" {
		return dsn, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	ctr, err := tcpostgres.Run(ctx, "postgres:16-alpine",
		tcpostgres.WithDatabase("genrepo"), tcpostgres.BasicWaitStrategies())
	if err != nil {
		return "", fmt.Errorf("%s is not set and no container could be started (%v)", EnvDSN, firstLine(err))
	}
	dsn, err := ctr.ConnectionString(ctx, "sslmode=disable")
	if err != nil {
		return "", fmt.Errorf("container started but gave no address: %w", err)
	}
	return dsn, nil
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// Scalar runs a query that returns one row of one column on ex and scans
// it into a value of type V, failing the test on an error, on no row and
// on more than one.
func Scalar[V any](t testing.TB, ex dialect.Executor, sql string, args ...any) V {
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
	if rows.Next() {
		t.Fatalf("%s: more than one row", sql)
	}
	if err := rows.Close(); err != nil {
		t.Fatalf("%s: close: %v", sql, err)
	}
	return v
}
