// Package integration hands a program's tests a ready database of each
// dialect genrepo supports and runs one body of scenarios on all of them.
// It is a module of its own, so that what it needs to start PostgreSQL in
// a container (testcontainers-go and the Docker client) stays out of the
// library's dependencies.
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
// # Databases cloned from a migrated template
//
// A program with migrations wants its tests to run on its real schema.
// Migrated and EachMigrated hand each test a database that a directory of
// migrations (as package migrate reads them, from any fs.FS) has been
// applied to, seed rows and version table included:
//
//	//go:embed migrations
//	var migrations embed.FS
//
//	func TestOrders(t *testing.T) {
//		integration.EachMigrated(t, migrations, "migrations", func(t *testing.T, db dialect.DB) {
//			// every migration's tables and rows are there, on sqlite and on postgres
//		})
//	}
//
// The migrations are applied once, to a template, and each test gets a
// copy of it: on PostgreSQL a database made by CREATE DATABASE … TEMPLATE,
// on SQLite a copy of the template's file. A template is known by a hash
// of the dialect and of each migration's version, name and up file, so it
// is built once per set of migrations, per PostgreSQL server or per
// user's cache directory, and found again by later test binaries; an
// edited or added migration gives a new template. Created and EachCreated
// do the same for the tables of a *model.Model, keyed by the DDL its
// CreateAll runs.
//
// On PostgreSQL a template is the database genrepo_tmpl_<hash>_<time>,
// built under a temporary name and renamed when complete, so that one a
// crashed build left half made is never cloned, then closed to
// connections. Builds take an advisory lock exclusively and clones take
// it shared, so that parallel test binaries never build a template twice
// nor clone one being dropped (advisory locks are per database: binaries
// coordinate when their DSNs name the same database of the server, as
// CI's do). Each test's clone is a database genrepo_clone_<time>_<random>.
// This needs PostgreSQL 13 or later and the CREATEDB privilege. On SQLite
// a template is a file in the user's cache directory (genrepo/templates),
// renamed into place when complete, and each test's clone a copy of it in
// a temporary directory.
//
// When a test fails, its clone is kept rather than removed, and the
// test's log says where:
//
//	testdb: kept database genrepo_clone_1765123456_q3xkz7ma for inspection (on 127.0.0.1:5432; DROP DATABASE "genrepo_clone_1765123456_q3xkz7ma" when done, or it goes after 7 days)
//	testdb: kept database /tmp/genrepo-failed/genrepo-failed-TestOrders_sqlite-1765123456-b2kd.db for inspection (remove it when done, or it goes after 7 days)
//
// Nothing piles up for ever. At a template's first use by a test binary,
// one older than TemplateMaxAge is built again, and what is stale is
// removed, best effort: kept databases older than KeptMaxAge, templates
// expired for a day, and what crashed builds left. To remove everything
// at once, when no tests are running:
//
//	psql "$GENREPO_POSTGRES_DSN" -Atc "SELECT format('DROP DATABASE %I;', datname) FROM pg_database
//		WHERE datname LIKE 'genrepo\_clone\_%' OR datname LIKE 'genrepo\_tmpl\_%'" | psql "$GENREPO_POSTGRES_DSN"
//	rm -r "${XDG_CACHE_HOME:-$HOME/.cache}/genrepo/templates" "${TMPDIR:-/tmp}/genrepo-failed" # on Linux
//
// A clone pays when building is slow. On SQLite copying a file is two to
// four times faster than applying even ten tables' DDL to a new file. On
// PostgreSQL, CREATE DATABASE copies a whole database, catalogs included
// (about 8 MB, written to the WAL), whatever the schema, and DROP DATABASE
// is not free either: a clone costs more than a fresh schema (Open) with
// ten tables migrated into it, about as much with fifty, and less only
// for longer histories of migrations or seed data of some size.
// BenchmarkFreshDatabase measures both ways on both dialects; where the
// schema is small, Each and Open with the migrations applied remain the
// cheaper choice on PostgreSQL.
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
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	tcpostgres "github.com/testcontainers/testcontainers-go/modules/postgres"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
)

// Environment variables read by this package.
const (
	// EnvDSN names the PostgreSQL server to test against.
	EnvDSN = testdb.EnvDSN
	// EnvRequire, set to 1, turns a missing PostgreSQL into a failure.
	EnvRequire = testdb.EnvRequire
)

// Dialects returns the dialects Each runs on, in order.
func Dialects() []string { return append([]string(nil), testdb.Dialects...) }

// Proxy stands between a pool and the PostgreSQL server, to provoke the
// network's failures; see NewProxy.
type Proxy = testdb.Proxy

// env finds PostgreSQL through GENREPO_POSTGRES_DSN or a container.
var env = testdb.NewEnv(startContainer)

// startContainer starts PostgreSQL in a container and returns its address.
func startContainer(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	ctr, err := tcpostgres.Run(ctx, "postgres:16-alpine",
		tcpostgres.WithDatabase("genrepo"), tcpostgres.BasicWaitStrategies())
	if err != nil {
		return "", errors.New("no container could be started: " + err.Error())
	}
	dsn, err := ctr.ConnectionString(ctx, "sslmode=disable")
	if err != nil {
		return "", errors.New("a container started but gave no address: " + err.Error())
	}
	return dsn, nil
}

// Each runs body once per dialect, as parallel subtests named after the
// dialect, each with a fresh empty database. opts (a statement hook, say)
// are passed to the dialect's Open.
func Each(t *testing.T, body func(t *testing.T, db dialect.DB), opts ...dialect.Option) {
	t.Helper()
	env.Each(t, body, opts...)
}

// Open returns a fresh empty database of the named dialect ("sqlite" or
// "postgres"), closed and removed when the test ends. On PostgreSQL it
// skips or fails the test, as the package documentation says, when no
// server can be had.
func Open(t testing.TB, name string, opts ...dialect.Option) dialect.DB {
	t.Helper()
	return env.Open(t, name, opts...)
}

// SQLite returns a new SQLite database in a file of the test's temporary
// directory.
func SQLite(t testing.TB, opts ...dialect.Option) dialect.DB {
	t.Helper()
	return testdb.SQLite(t, opts...)
}

// Postgres returns a pool whose connections see only a new schema of
// their own, dropped when the test ends.
func Postgres(t testing.TB, opts ...dialect.Option) dialect.DB {
	t.Helper()
	return env.Postgres(t, opts...)
}

// PostgresConfig is Postgres with configure applied to the pool's
// configuration before it opens.
func PostgresConfig(t testing.TB, configure func(*pgxpool.Config), opts ...dialect.Option) dialect.DB {
	t.Helper()
	return env.PostgresConfig(t, configure, opts...)
}

// NewProxy starts a proxy to the PostgreSQL server on a free port of
// 127.0.0.1, stopped when the test ends.
func NewProxy(t testing.TB) *Proxy {
	t.Helper()
	return env.NewProxy(t)
}

// PostgresProxy is Postgres with the pool's connections going through a
// new Proxy, which it returns. configure, when set, edits the pool's
// configuration afterwards.
func PostgresProxy(t testing.TB, configure func(*pgxpool.Config), opts ...dialect.Option) (dialect.DB, *Proxy) {
	t.Helper()
	return env.PostgresProxy(t, configure, opts...)
}

// IsCommit reports whether a message from the client is a COMMIT, for
// Proxy.CutAfter.
func IsCommit(typ byte, body []byte) bool { return testdb.IsCommit(typ, body) }

// Scalar runs a query that returns one row of one column on ex and scans
// it into a value of type V, failing the test on an error, on no row and
// on more than one.
func Scalar[V any](t testing.TB, ex dialect.Executor, sql string, args ...any) V {
	t.Helper()
	return testdb.Scalar[V](t, ex, sql, args...)
}
