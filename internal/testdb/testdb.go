// Package testdb hands tests a ready database of each dialect and runs one
// body of scenarios on all of them. It is what genrepo's own tests use;
// the public package github.com/genrepo/genrepo/integration, a module of
// its own, offers the same to programs, and can also start PostgreSQL in a
// container.
//
// SQLite needs nothing: each test gets a database file in its own
// temporary directory. PostgreSQL is the server named by
// GENREPO_POSTGRES_DSN (postgres://…), else the one an Env's start
// function provides; without either, the PostgreSQL half of each test is
// skipped with one line saying why, or fails when
// GENREPO_REQUIRE_POSTGRES=1 (as CI sets it).
//
// Each PostgreSQL test gets a schema of its own, created empty and dropped
// with everything in it when the test ends, so tests run in parallel
// without seeing each other's tables.
//
// Env.Clone hands a test a copy of a Template, a schema built once per
// PostgreSQL server (a database cloned with CREATE DATABASE … TEMPLATE)
// or per user (an SQLite file copied), kept for inspection when the test
// fails; integration.Migrated builds on it, and its documentation says
// how templates are named, built, locked and removed.
//
// For the network's failures, PostgresProxy opens a pool whose
// connections go through a Proxy, which cuts them, refuses new ones as a
// stopped server does, answers them as a server starting up, or cuts one
// right after the server answered a chosen message (a COMMIT), without
// touching the server other tests share. Scalar reads the one value of a
// query.
package testdb

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

// Env finds the PostgreSQL server its tests run against, once per test
// binary: GENREPO_POSTGRES_DSN, else what its start function returns.
type Env struct {
	server   func() pgServer
	tmpl     templates
	cacheDir string // where SQLite templates are kept
	keptDir  string // where the SQLite databases of failed tests are kept
}

// NewEnv returns an Env whose server, when GENREPO_POSTGRES_DSN is not
// set, is the one start returns the address of (a container it started,
// say); with a nil start there is none.
func NewEnv(start func(ctx context.Context) (dsn string, err error)) *Env {
	cache, kept := defaultDirs()
	return &Env{server: sync.OnceValue(func() pgServer { return findServer(start) }), cacheDir: cache, keptDir: kept}
}

// std is the Env of the package's functions: GENREPO_POSTGRES_DSN only.
var std = NewEnv(nil)

// Each runs body once per dialect, as parallel subtests named after the
// dialect, each with a fresh empty database. opts (a statement hook, say)
// are passed to the dialect's Open.
func Each(t *testing.T, body func(t *testing.T, db dialect.DB), opts ...dialect.Option) {
	t.Helper()
	std.Each(t, body, opts...)
}

// Each is the package's Each on e's server.
func (e *Env) Each(t *testing.T, body func(t *testing.T, db dialect.DB), opts ...dialect.Option) {
	t.Helper()
	for _, name := range Dialects {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body(t, e.Open(t, name, opts...))
		})
	}
}

// Open returns a fresh empty database of the named dialect ("sqlite" or
// "postgres"), closed and removed when the test ends. On PostgreSQL it
// skips or fails the test, as the package documentation says, when no
// server can be had.
func Open(t testing.TB, name string, opts ...dialect.Option) dialect.DB {
	t.Helper()
	return std.Open(t, name, opts...)
}

// Open is the package's Open on e's server.
func (e *Env) Open(t testing.TB, name string, opts ...dialect.Option) dialect.DB {
	t.Helper()
	switch name {
	case "sqlite":
		return SQLite(t, opts...)
	case "postgres":
		return e.Postgres(t, opts...)
	}
	t.Fatalf("testdb: unknown dialect %q", name)
	return nil
}

// SQLite returns a new SQLite database in a file of the test's temporary
// directory.
func SQLite(t testing.TB, opts ...dialect.Option) dialect.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), opts...)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// Postgres returns a pool whose connections see only a new schema of
// their own, dropped when the test ends.
func Postgres(t testing.TB, opts ...dialect.Option) dialect.DB {
	t.Helper()
	return std.PostgresConfig(t, nil, opts...)
}

// Postgres is the package's Postgres on e's server.
func (e *Env) Postgres(t testing.TB, opts ...dialect.Option) dialect.DB {
	t.Helper()
	return e.PostgresConfig(t, nil, opts...)
}

// PostgresConfig is Postgres with configure applied to the pool's
// configuration before it opens, for a test that needs to see the
// connections themselves (a DialFunc counting round trips, say).
func PostgresConfig(t testing.TB, configure func(*pgxpool.Config), opts ...dialect.Option) dialect.DB {
	t.Helper()
	return std.PostgresConfig(t, configure, opts...)
}

// PostgresConfig is the package's PostgresConfig on e's server.
func (e *Env) PostgresConfig(t testing.TB, configure func(*pgxpool.Config), opts ...dialect.Option) dialect.DB {
	t.Helper()
	srv := e.requireServer(t)
	ctx := context.Background()
	schema := "genrepo_test_" + strings.ToLower(rand.Text()[:12])
	if _, err := srv.admin.Exec(ctx, "CREATE SCHEMA "+dialect.Quote(schema)); err != nil {
		t.Fatalf("testdb: create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := srv.admin.Exec(context.Background(), "DROP SCHEMA "+dialect.Quote(schema)+" CASCADE"); err != nil {
			t.Errorf("testdb: drop schema %s: %v", schema, err)
		}
	})
	cfg, err := pgxpool.ParseConfig(srv.dsn)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	cfg.MaxConns = 4
	if configure != nil {
		configure(cfg)
	}
	db, err := postgres.OpenConfig(ctx, cfg, opts...)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// requireServer returns the PostgreSQL server, or skips or fails the test
// when there is none, as the package documentation says.
func (e *Env) requireServer(t testing.TB) pgServer {
	t.Helper()
	srv := e.server()
	if srv.err != nil {
		if os.Getenv(EnvRequire) == "1" {
			t.Fatalf("testdb: PostgreSQL required (%s=1) but unavailable: %v", EnvRequire, srv.err)
		}
		t.Skipf("testdb: skipping PostgreSQL: %v", srv.err)
	}
	return srv
}

// pgServer is the PostgreSQL server of an Env.
type pgServer struct {
	dsn   string
	admin *pgxpool.Pool
	err   error
}

// findServer finds the PostgreSQL server: GENREPO_POSTGRES_DSN, or the one
// start provides.
func findServer(start func(context.Context) (string, error)) pgServer {
	dsn := os.Getenv(EnvDSN)
	if dsn == "" {
		if start == nil {
			return pgServer{err: fmt.Errorf("%s is not set", EnvDSN)}
		}
		var err error
		if dsn, err = start(context.Background()); err != nil {
			return pgServer{err: fmt.Errorf("%s is not set and %v", EnvDSN, firstLine(err))}
		}
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
