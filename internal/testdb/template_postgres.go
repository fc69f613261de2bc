package testdb

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/postgres"
)

// On PostgreSQL a template is a database of the server, named
//
//	genrepo_tmpl_<hash>_<unix time it was built>
//
// and built under the name with "_new" appended, renamed when complete,
// so that one a crashed build left half made is never cloned. A clone is
// a database named genrepo_clone_<unix time>_<random>. Building, and
// sweeping away what is stale, happen under an advisory lock taken
// exclusively; cloning under the same lock shared, so that clones are made
// in parallel but never from a template being dropped. Advisory locks are
// per database: test binaries coordinate when their DSNs name the same
// database of the server, as they do in CI.
const (
	tmplPrefix     = "genrepo_tmpl_"
	clonePrefix    = "genrepo_clone_"
	buildingSuffix = "_new"
)

// templateLock is the key of the advisory lock: "genrepo1" in ASCII.
const templateLock int64 = 0x67656e7265706f31

// template returns the name of the newest template of hash on the server
// that is younger than TemplateMaxAge, building one when there is none.
// It sweeps what is stale first.
func (s pgServer) template(ctx context.Context, hash string, build func(context.Context, dialect.DB) error, now time.Time) (string, error) {
	var name string
	err := s.locked(ctx, false, func(conn *pgxpool.Conn) error {
		names, err := databases(ctx, conn)
		if err != nil {
			return err
		}
		sweepDatabases(ctx, conn, names, now)
		if name = newestTemplate(names, hash, now); name != "" {
			return nil
		}
		name = tmplPrefix + hash + "_" + strconv.FormatInt(now.Unix(), 10)
		return s.build(ctx, conn, name, build)
	})
	return name, err
}

// build makes the template name: a database built under a temporary name,
// closed to connections (so that nothing stops its cloning) and renamed.
// On failure it drops what it made.
func (s pgServer) build(ctx context.Context, conn *pgxpool.Conn, name string, build func(context.Context, dialect.DB) error) error {
	building := name + buildingSuffix
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+dialect.Quote(building)); err != nil {
		return fmt.Errorf("create database %s: %w", building, err)
	}
	err := s.buildIn(ctx, building, build)
	if err == nil {
		s.waitDisconnected(ctx, building)
	}
	for _, sql := range []string{
		"ALTER DATABASE " + dialect.Quote(building) + " ALLOW_CONNECTIONS false",
		"ALTER DATABASE " + dialect.Quote(building) + " RENAME TO " + dialect.Quote(name),
	} {
		if err != nil {
			break
		}
		if _, err = conn.Exec(ctx, sql); err != nil {
			err = fmt.Errorf("%s: %w", sql, err)
		}
	}
	if err != nil {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "DROP DATABASE IF EXISTS "+dialect.Quote(building)+" WITH (FORCE)")
	}
	return err
}

// buildIn runs build on a pool of the database, closed before it returns.
func (s pgServer) buildIn(ctx context.Context, database string, build func(context.Context, dialect.DB) error) error {
	db, err := s.open(ctx, database, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := build(ctx, db); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	return nil
}

// clone makes a new database from the template tmpl and opens a pool on
// it.
func (s pgServer) clone(ctx context.Context, tmpl string, now time.Time, opts []dialect.Option) (*Clone, error) {
	name := clonePrefix + strconv.FormatInt(now.Unix(), 10) + "_" + randomName(8)
	err := s.locked(ctx, true, func(conn *pgxpool.Conn) error {
		_, err := conn.Exec(ctx, "CREATE DATABASE "+dialect.Quote(name)+" TEMPLATE "+dialect.Quote(tmpl))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("clone %s: %w", tmpl, err)
	}
	db, err := s.open(ctx, name, opts)
	if err != nil {
		_, _ = s.admin.Exec(context.WithoutCancel(ctx), "DROP DATABASE IF EXISTS "+dialect.Quote(name)+" WITH (FORCE)")
		return nil, fmt.Errorf("clone %s: %w", tmpl, err)
	}
	return &Clone{dialect: "postgres", db: db, name: name, srv: s}, nil
}

// waitDisconnected waits, for up to five seconds, until no session is
// connected to the database: the sessions of a pool just closed end a
// moment after it, and DROP DATABASE or ALTER DATABASE … RENAME would
// otherwise wait for them in steps of 100 ms.
func (s pgServer) waitDisconnected(ctx context.Context, database string) {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		var n int
		err := s.admin.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE datname = $1", database).Scan(&n)
		if err != nil || n == 0 {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// open opens a pool of up to four connections on the server's database.
func (s pgServer) open(ctx context.Context, database string, opts []dialect.Option) (dialect.DB, error) {
	cfg, err := pgxpool.ParseConfig(s.dsn)
	if err != nil {
		return nil, err
	}
	cfg.ConnConfig.Database = database
	cfg.MaxConns = 4
	return postgres.OpenConfig(ctx, cfg, opts...)
}

// locked runs fn on a connection of the admin pool holding the template
// lock, shared or exclusive.
func (s pgServer) locked(ctx context.Context, shared bool, fn func(*pgxpool.Conn) error) error {
	conn, err := s.admin.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	lock, unlock := "pg_advisory_lock", "pg_advisory_unlock"
	if shared {
		lock, unlock = lock+"_shared", unlock+"_shared"
	}
	if _, err := conn.Exec(ctx, "SELECT "+lock+"($1)", templateLock); err != nil {
		return fmt.Errorf("template lock: %w", err)
	}
	defer func() {
		// Even when ctx has ended; if the connection is lost, the server
		// has released the lock already.
		if _, err := conn.Exec(context.WithoutCancel(ctx), "SELECT "+unlock+"($1)", templateLock); err != nil {
			conn.Conn().Close(context.WithoutCancel(ctx)) // the lock goes with the session
		}
	}()
	return fn(conn)
}

// databases lists the names of the server's databases.
func databases(ctx context.Context, conn *pgxpool.Conn) ([]string, error) {
	rows, err := conn.Query(ctx, "SELECT datname FROM pg_database")
	if err != nil {
		return nil, fmt.Errorf("list databases: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("list databases: %w", err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list databases: %w", err)
	}
	return names, nil
}

// sweepDatabases drops, best effort, the stale databases among names:
// templates a crashed build left half made, templates expired for a day,
// and clones older than KeptMaxAge, which failed tests kept (or test
// binaries killed before their cleanup left). It runs under the exclusive
// lock, so no build is under way. A kept clone someone is connected to
// stays until a later sweep.
func sweepDatabases(ctx context.Context, conn *pgxpool.Conn, names []string, now time.Time) {
	for _, n := range names {
		drop := "DROP DATABASE IF EXISTS " + dialect.Quote(n)
		switch t, ok := parseTemplate(n); {
		case ok && t.building:
			drop += " WITH (FORCE)" // its builder is gone
		case ok && expired(t.made, now, TemplateMaxAge+templateGrace), staleClone(n, now):
		default:
			continue
		}
		_, _ = conn.Exec(ctx, drop)
	}
}

// newestTemplate returns the name of the newest complete template of hash
// among names that is younger than TemplateMaxAge, or "".
func newestTemplate(names []string, hash string, now time.Time) string {
	var best string
	var made time.Time
	for _, n := range names {
		t, ok := parseTemplate(n)
		if !ok || t.building || t.hash != hash || expired(t.made, now, TemplateMaxAge) {
			continue
		}
		if best == "" || t.made.After(made) {
			best, made = n, t.made
		}
	}
	return best
}

// tmplName is what a template's database name says.
type tmplName struct {
	hash     string
	made     time.Time
	building bool
}

// parseTemplate reads genrepo_tmpl_<16 hex digits>_<unix time>, with
// "_new" after it while it is being built.
func parseTemplate(name string) (tmplName, bool) {
	var t tmplName
	rest, ok := strings.CutPrefix(name, tmplPrefix)
	if !ok {
		return t, false
	}
	rest, t.building = strings.CutSuffix(rest, buildingSuffix)
	hash, unix, ok := strings.Cut(rest, "_")
	if !ok || len(hash) != 16 || strings.Trim(hash, "0123456789abcdef") != "" {
		return t, false
	}
	t.hash = hash
	t.made, ok = parseUnix(unix)
	return t, ok
}

// staleClone reports whether name is a clone's, genrepo_clone_<unix
// time>_<8 random characters>, made more than KeptMaxAge before now.
func staleClone(name string, now time.Time) bool {
	rest, ok := strings.CutPrefix(name, clonePrefix)
	if !ok {
		return false
	}
	unix, random, ok := strings.Cut(rest, "_")
	if !ok || len(random) != 8 || strings.Trim(random, "abcdefghijklmnopqrstuvwxyz234567") != "" {
		return false
	}
	made, ok := parseUnix(unix)
	return ok && expired(made, now, KeptMaxAge)
}

// parseUnix reads a time written as decimal seconds since 1970.
func parseUnix(s string) (time.Time, bool) {
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(n, 0), true
}

// addr is the server's host and port, for a log line.
func (s pgServer) addr() string {
	cfg, err := pgconn.ParseConfig(s.dsn)
	if err != nil {
		return "the test server"
	}
	return net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port)))
}

// dropTemplates drops every template of hash, built or half built, for a
// test that made one of its own.
func (s pgServer) dropTemplates(ctx context.Context, hash string) error {
	return s.locked(ctx, false, func(conn *pgxpool.Conn) error {
		names, err := databases(ctx, conn)
		if err != nil {
			return err
		}
		for _, n := range names {
			if t, ok := parseTemplate(n); ok && t.hash == hash {
				if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+dialect.Quote(n)+" WITH (FORCE)"); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
