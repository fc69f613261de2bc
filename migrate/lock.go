package migrate

import (
	"context"
	"fmt"
	"hash/fnv"

	"github.com/genrepo/genrepo/dialect"
)

// target is where a runner's steps run: a pool or a pinned connection.
type target interface {
	dialect.Executor
	dialect.Beginner
}

// backend is what the runner does differently per database: how it keeps
// other runners out while it migrates, and how it asks whether the
// version table exists. The dialect package has no notion of session
// locks or of the catalog, so this is the one place where the runner goes
// by the dialect's name.
type backend interface {
	// lock keeps other runners of the same version table out until
	// unlock is called, and returns where to run the steps meanwhile.
	// unlock reports what it could not put back as it was.
	lock(ctx context.Context, db dialect.DB, table string) (t target, unlock func() error, err error)
	// qualify returns the version table's name as the runner's
	// statements write it: quoted and, on PostgreSQL, qualified by the
	// schema unqualified names are created in, so that no table of that
	// name in a later schema of the search path is ever read instead (nor
	// a statement prepared before the table was created).
	qualify(ctx context.Context, ex dialect.Executor, table string) (string, error)
	// exists reports whether the version table exists: table is its name,
	// qualified its name as qualify returns it.
	exists(ctx context.Context, ex dialect.Executor, table, qualified string) (bool, error)
	// refuse returns an error when the SQL of a migration to run would
	// change the connection beyond the migration's end in a way the
	// backend cannot put back (ErrPragma).
	refuse(sql string) error
}

// backendFor returns the backend of d.
func backendFor(d dialect.Dialect) (backend, error) {
	switch d.Name() {
	case "postgres":
		return pgBackend{}, nil
	case "sqlite":
		return sqliteBackend{}, nil
	}
	return nil, fmt.Errorf("dialect %q: no way to lock it against a concurrent runner", d.Name())
}

// pgBackend locks with a session-level advisory lock, held by a pinned
// connection on which every step runs. Its key is derived from the
// version table's name and the schema it is created in, so runners of
// other schemas of the same database do not wait for each other. The
// connection goes back to the program's pool afterwards, so what a
// migration set for the session (SET lock_timeout, SET search_path, SET
// ROLE, outside a SET LOCAL) is put back as it was before the run.
type pgBackend struct{}

// Reading and restoring a session's settings: those set in the session
// (source 'session', by SET or set_config), as pg_settings shows them, and
// the role. A setting the run changed goes back to its value before the
// run, or to its value at the session's start.
const (
	sessionSettings = "SELECT coalesce(json_object_agg(name, setting), '{}')::text, current_setting('role') FROM pg_settings WHERE source = 'session'"
	restoreRole     = "SELECT set_config('role', $1, false) WHERE current_setting('role') <> $1"
	restoreSettings = "SELECT count(set_config(s.name, coalesce(b.value, s.reset_val), false)) " +
		"FROM pg_settings s LEFT JOIN json_each_text($1::json) b ON b.key = s.name " +
		"WHERE (s.source = 'session' OR b.key IS NOT NULL) AND s.setting IS DISTINCT FROM coalesce(b.value, s.reset_val)"
)

func (pgBackend) lock(ctx context.Context, db dialect.DB, table string) (target, func() error, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("lock: %w", err)
	}
	schema, err := scalar[string](ctx, conn, "SELECT current_schema()")
	if err != nil {
		conn.Release()
		return nil, nil, fmt.Errorf("lock: %w", err)
	}
	var settings, role string
	rows, err := conn.Query(ctx, sessionSettings)
	if err == nil {
		if rows.Next() {
			err = rows.Scan(&settings, &role)
		}
		if cerr := rows.Close(); err == nil {
			err = cerr
		}
	}
	if err == nil && role == "" {
		err = fmt.Errorf("no session settings read")
	}
	if err != nil {
		conn.Release()
		return nil, nil, fmt.Errorf("lock: session settings: %w", err)
	}
	key := lockKey(schema, table)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		conn.Release()
		return nil, nil, fmt.Errorf("lock: %w", err)
	}
	unlock := func() error {
		// Even when ctx has ended: the lock must not outlive the run. If
		// the connection is lost, the server has released it already.
		bg := context.WithoutCancel(ctx)
		_, rerr := conn.Exec(bg, restoreRole, role)
		if rerr == nil {
			_, rerr = conn.Exec(bg, restoreSettings, settings)
		}
		_, _ = conn.Exec(bg, "SELECT pg_advisory_unlock($1)", key)
		conn.Release()
		if rerr != nil {
			return fmt.Errorf("the session settings a migration changed could not be put back on the connection returned to the pool: %w", rerr)
		}
		return nil
	}
	return conn, unlock, nil
}

// lockKey is the advisory lock's key for the version table in schema.
func lockKey(schema, table string) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte("genrepo/migrate\x00" + schema + "\x00" + table))
	return int64(h.Sum64())
}

func (pgBackend) qualify(ctx context.Context, ex dialect.Executor, table string) (string, error) {
	schema, err := scalar[*string](ctx, ex, "SELECT current_schema()")
	if err != nil {
		return "", fmt.Errorf("version table %s: current schema: %w", table, err)
	}
	if schema == nil {
		return "", fmt.Errorf("version table %s: no schema to create it in (no schema of the search_path exists)", table)
	}
	return dialect.Quote(*schema) + "." + dialect.Quote(table), nil
}

// refuse lets everything through: what a migration SETs is put back
// when the run ends.
func (pgBackend) refuse(string) error { return nil }

func (pgBackend) exists(ctx context.Context, ex dialect.Executor, _, qualified string) (bool, error) {
	return scalar[bool](ctx, ex, "SELECT to_regclass($1) IS NOT NULL", qualified)
}

// sqliteBackend needs no lock of its own: every step is a read-write
// transaction, which the sqlite dialect begins with BEGIN IMMEDIATE, so
// it holds the database's write lock from its first statement, and the
// step reads the version table again under that lock before it changes
// anything. A second runner waits for the lock (the busy timeout), then
// finds the migration applied and skips it.
type sqliteBackend struct{}

func (sqliteBackend) lock(_ context.Context, db dialect.DB, _ string) (target, func() error, error) {
	return db, func() error { return nil }, nil
}

func (sqliteBackend) qualify(_ context.Context, _ dialect.Executor, table string) (string, error) {
	return dialect.Quote(table), nil
}

// refuse refuses a PRAGMA that sets a setting of the connection (see
// checkPragmas).
func (sqliteBackend) refuse(sql string) error { return checkPragmas(sql) }

func (sqliteBackend) exists(ctx context.Context, ex dialect.Executor, table, _ string) (bool, error) {
	n, err := scalar[int64](ctx, ex, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", table)
	return n > 0, err
}

// scalar runs a query of one row of one column and scans it into a V.
func scalar[V any](ctx context.Context, ex dialect.Executor, sql string, args ...any) (V, error) {
	var v V
	rows, err := ex.Query(ctx, sql, args...)
	if err != nil {
		return v, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return v, err
		}
		return v, fmt.Errorf("%s: no row", sql)
	}
	if err := rows.Scan(&v); err != nil {
		return v, err
	}
	return v, rows.Close()
}
