package migrate

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/genrepo/genrepo/dialect"
)

// DefaultTable is the version table's name unless Options says otherwise.
const DefaultTable = "genrepo_migrations"

// Options configure a Runner. The zero value uses DefaultTable.
type Options struct {
	// Table is the name of the version table, created where unqualified
	// names are created (PostgreSQL's current schema); empty means
	// DefaultTable. Two runners with different tables know nothing of
	// each other's migrations.
	Table string
}

// Runner applies and reverts a directory's migrations on one database.
// It is safe for concurrent use, and several runners, in one process or
// in many, may migrate one database at once: they take turns (see the
// package documentation on locking).
type Runner struct {
	db         dialect.DB
	migrations []Migration
	table      string
	backend    backend
}

// New loads the migrations in the directory dir of fsys, as Load does,
// and returns a runner that applies them to db. It fails when Load fails,
// when the table name is not a valid identifier, and on a dialect other
// than PostgreSQL and SQLite. It sends nothing to the database.
func New(db dialect.DB, fsys fs.FS, dir string, opts Options) (*Runner, error) {
	migrations, err := Load(fsys, dir)
	if err != nil {
		return nil, err
	}
	table := opts.Table
	if table == "" {
		table = DefaultTable
	}
	if err := dialect.CheckIdent(table); err != nil {
		return nil, errorf("migrate: version table: %w", err)
	}
	b, err := backendFor(db.Dialect())
	if err != nil {
		return nil, errorf("migrate: %w", err)
	}
	return &Runner{db: db, migrations: migrations, table: table, backend: b}, nil
}

// Migrations returns the runner's migrations, in increasing order of
// version. The slice is a copy.
func (r *Runner) Migrations() []Migration { return slices.Clone(r.migrations) }

// Up applies the pending migrations in increasing order of version, up to
// and including version to, or all of them when to is 0, and returns
// those it applied. It creates the version table first if it is missing.
//
// Each migration runs in a transaction of its own together with the row
// that records it, so a migration that fails leaves no trace and the
// database at the version before it; Up then returns the migrations
// applied before, and an error naming the failed file. Up refuses to
// apply anything when an applied migration's up file changed (ErrChanged)
// or is gone (ErrMissing), or when a migration to apply is older than one
// already applied (ErrOutOfOrder). A migration another runner applied
// meanwhile is skipped.
func (r *Runner) Up(ctx context.Context, to int64) ([]Migration, error) {
	var done []Migration
	err := r.locked(ctx, func(t target) error {
		applied, err := r.read(ctx, t)
		if err != nil {
			return err
		}
		plan, err := planUp(r.migrations, applied, to)
		if err != nil {
			return err
		}
		for _, m := range plan {
			ran, err := r.step(ctx, t, m, true)
			if err != nil {
				return fmt.Errorf("%s: %w", m.UpFile, err)
			}
			if ran {
				done = append(done, m)
			}
		}
		return nil
	})
	if err != nil {
		return done, errorf("migrate: up: %w", err)
	}
	return done, nil
}

// Down reverts the last n applied migrations, the latest first, and
// returns those it reverted; n must be at least 1, and fewer are reverted
// when fewer are applied. Before reverting anything it refuses when one
// of them has no down file (ErrIrreversible) or no file at all
// (ErrMissing). A migration whose up file changed since it was applied
// is reverted with its current down file: that is how a changed
// migration is put right.
//
// Each migration is reverted in a transaction of its own together with
// the removal of its row, so one that fails leaves the database at the
// version it was; Down then returns those reverted before, and an error
// naming the failed file. A migration another runner reverted meanwhile
// is skipped.
func (r *Runner) Down(ctx context.Context, n int) ([]Migration, error) {
	var done []Migration
	err := r.locked(ctx, func(t target) error {
		applied, err := r.read(ctx, t)
		if err != nil {
			return err
		}
		plan, err := planDown(r.migrations, applied, n)
		if err != nil {
			return err
		}
		for _, m := range plan {
			ran, err := r.step(ctx, t, m, false)
			if err != nil {
				return fmt.Errorf("%s: %w", m.DownFile, err)
			}
			if ran {
				done = append(done, m)
			}
		}
		return nil
	})
	if err != nil {
		return done, errorf("migrate: down: %w", err)
	}
	return done, nil
}

// Status lists every migration, those of the files and those only the
// version table knows (Missing), in increasing order of version, with
// its state. It takes no lock and creates nothing: without a version
// table every migration is Pending.
func (r *Runner) Status(ctx context.Context) ([]Status, error) {
	exists, err := r.backend.exists(ctx, r.db, r.table)
	if err != nil {
		return nil, errorf("migrate: status: %w", err)
	}
	var applied []record
	if exists {
		if applied, err = r.read(ctx, r.db); err != nil {
			return nil, errorf("migrate: status: %w", err)
		}
	}
	return status(r.migrations, applied), nil
}

// locked runs fn while other runners are kept out, on the target the
// lock gives, after creating the version table if it is missing.
func (r *Runner) locked(ctx context.Context, fn func(target) error) error {
	t, unlock, err := r.backend.lock(ctx, r.db, r.table)
	if err != nil {
		return err
	}
	defer unlock()
	if _, err := t.Exec(ctx, r.createTable(t.Dialect())); err != nil {
		return fmt.Errorf("create version table %s: %w", r.table, err)
	}
	return fn(t)
}

// createTable is the DDL of the version table.
func (r *Runner) createTable(d dialect.Dialect) string {
	return "CREATE TABLE IF NOT EXISTS " + dialect.Quote(r.table) + " (" +
		"version " + d.ColumnType(dialect.Type{Kind: dialect.Int64}, false) + " NOT NULL PRIMARY KEY, " +
		"name " + d.ColumnType(dialect.Type{Kind: dialect.String}, false) + " NOT NULL, " +
		"checksum " + d.ColumnType(dialect.Type{Kind: dialect.String}, false) + " NOT NULL, " +
		"applied_at " + d.ColumnType(dialect.Type{Kind: dialect.Time}, false) + " NOT NULL DEFAULT " + d.Features().NowSQL +
		")"
}

// read returns the rows of the version table, in increasing order of
// version.
func (r *Runner) read(ctx context.Context, ex dialect.Executor) ([]record, error) {
	rows, err := ex.Query(ctx, "SELECT version, name, checksum, applied_at FROM "+dialect.Quote(r.table)+" ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("read version table %s: %w", r.table, err)
	}
	defer rows.Close()
	var out []record
	for rows.Next() {
		var rec record
		var at any
		if err := rows.Scan(&rec.version, &rec.name, &rec.checksum, &at); err != nil {
			return nil, fmt.Errorf("read version table %s: %w", r.table, err)
		}
		if rec.appliedAt, err = readTime(at); err != nil {
			return nil, fmt.Errorf("read version table %s: version %d: %w", r.table, rec.version, err)
		}
		out = append(out, rec)
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("read version table %s: %w", r.table, err)
	}
	return out, nil
}

// readTime reads applied_at as the dialect hands it: a time.Time, or
// text on SQLite.
func readTime(v any) (time.Time, error) {
	switch v := v.(type) {
	case time.Time:
		return v.UTC(), nil
	case string:
		return dialect.ParseTime(v)
	case []byte:
		return dialect.ParseTime(string(v))
	}
	return time.Time{}, fmt.Errorf("applied_at: unexpected %T", v)
}

// step applies (up) or reverts m in a transaction of its own, together
// with the change of its row. It reads the row again inside the
// transaction and does nothing, reporting false, when another runner has
// already done the same.
func (r *Runner) step(ctx context.Context, t target, m Migration, up bool) (ran bool, err error) {
	tx, err := t.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		return false, err
	}
	defer func() {
		if !ran || err != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	d := t.Dialect()
	table := dialect.Quote(r.table)
	n, err := scalar[int64](ctx, tx, "SELECT count(*) FROM "+table+" WHERE version = "+placeholders(d, 1), m.Version)
	if err != nil {
		return false, err
	}
	if up == (n > 0) {
		return false, nil
	}
	sql := m.Up
	if !up {
		sql = m.Down
	}
	if !isBlank(sql) {
		// No arguments: pgx sends the file in one simple-protocol query,
		// which runs each of its statements; SQLite runs them one by one.
		if _, err := tx.Exec(ctx, sql); err != nil {
			return false, err
		}
	}
	if up {
		_, err = tx.Exec(ctx, "INSERT INTO "+table+" (version, name, checksum) VALUES ("+placeholders(d, 3)+")",
			m.Version, m.Name, m.Checksum)
	} else {
		_, err = tx.Exec(ctx, "DELETE FROM "+table+" WHERE version = "+placeholders(d, 1), m.Version)
	}
	if err != nil {
		return false, fmt.Errorf("version table %s: %w", r.table, err)
	}
	return true, tx.Commit(ctx)
}

// placeholders returns the dialect's placeholders for n parameters,
// separated by commas.
func placeholders(d dialect.Dialect, n int) string {
	var b []byte
	for i := 1; i <= n; i++ {
		if i > 1 {
			b = append(b, ", "...)
		}
		b = d.AppendPlaceholder(b, i)
	}
	return string(b)
}
