package migrate

import (
	"context"
	"errors"
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
// when db is nil, when the table name is not a valid identifier, and on
// a dialect other than PostgreSQL and SQLite. It sends nothing to the
// database.
func New(db dialect.DB, fsys fs.FS, dir string, opts Options) (*Runner, error) {
	if db == nil {
		return nil, errors.New("migrate: no database (a nil dialect.DB)")
	}
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
// already applied (ErrOutOfOrder), or when, on SQLite, a migration to
// apply sets a PRAGMA of the connection (ErrPragma). A migration another
// runner applied meanwhile is skipped; each step checks the same
// refusals again under the lock, so a runner whose plan another's work
// has overtaken stops there with an error.
func (r *Runner) Up(ctx context.Context, to int64) ([]Migration, error) {
	var done []Migration
	err := r.locked(ctx, func(t target, table string) error {
		applied, err := r.read(ctx, t, table)
		if err != nil {
			return err
		}
		plan, err := planUp(r.migrations, applied, to)
		if err != nil {
			return err
		}
		for _, m := range plan {
			if err := r.backend.refuse(m.Up); err != nil {
				return fmt.Errorf("%s: %w", m.UpFile, err)
			}
		}
		for _, m := range plan {
			ran, err := r.step(ctx, t, table, m, true)
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
// of them has no down file (ErrIrreversible), a down file with no SQL in
// it (ErrEmptyDown), a down file setting a PRAGMA of the connection on
// SQLite (ErrPragma) or no file at all (ErrMissing). A migration whose up file changed since it was applied
// is reverted with its current down file: that is how a changed
// migration is put right.
//
// Each migration is reverted in a transaction of its own together with
// the removal of its row, so one that fails leaves the database at the
// version it was; Down then returns those reverted before, and an error
// naming the failed file. A migration another runner reverted meanwhile
// is skipped, and one that is no longer the latest applied (another
// runner applied a later one meanwhile) is refused, not reverted.
func (r *Runner) Down(ctx context.Context, n int) ([]Migration, error) {
	var done []Migration
	err := r.locked(ctx, func(t target, table string) error {
		applied, err := r.read(ctx, t, table)
		if err != nil {
			return err
		}
		plan, err := planDown(r.migrations, applied, n)
		if err != nil {
			return err
		}
		for _, m := range plan {
			if err := r.backend.refuse(m.Down); err != nil {
				return fmt.Errorf("%s: %w", m.DownFile, err)
			}
		}
		for _, m := range plan {
			ran, err := r.step(ctx, t, table, m, false)
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
	table, err := r.backend.qualify(ctx, r.db, r.table)
	if err != nil {
		return nil, errorf("migrate: status: %w", err)
	}
	exists, err := r.backend.exists(ctx, r.db, r.table, table)
	if err != nil {
		return nil, errorf("migrate: status: %w", err)
	}
	var applied []record
	if exists {
		if applied, err = r.read(ctx, r.db, table); err != nil {
			return nil, errorf("migrate: status: %w", err)
		}
	}
	return status(r.migrations, applied), nil
}

// locked runs fn while other runners are kept out, on the target the
// lock gives, after creating the version table if it is missing. fn is
// handed the version table's name as the runner's statements write it,
// qualified by its schema on PostgreSQL.
func (r *Runner) locked(ctx context.Context, fn func(t target, table string) error) (err error) {
	t, unlock, err := r.backend.lock(ctx, r.db, r.table)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, unlock()) }()
	table, err := r.backend.qualify(ctx, t, r.table)
	if err != nil {
		return err
	}
	if _, err := t.Exec(ctx, createTable(t.Dialect(), table)); err != nil {
		return fmt.Errorf("create version table %s: %w", r.table, err)
	}
	return fn(t, table)
}

// createTable is the DDL of the version table, named table (quoted).
func createTable(d dialect.Dialect, table string) string {
	return "CREATE TABLE IF NOT EXISTS " + table + " (" +
		"version " + d.ColumnType(dialect.Type{Kind: dialect.Int64}, false) + " NOT NULL PRIMARY KEY, " +
		"name " + d.ColumnType(dialect.Type{Kind: dialect.String}, false) + " NOT NULL, " +
		"checksum " + d.ColumnType(dialect.Type{Kind: dialect.String}, false) + " NOT NULL, " +
		"applied_at " + d.ColumnType(dialect.Type{Kind: dialect.Time}, false) + " NOT NULL DEFAULT " + d.Features().NowSQL +
		")"
}

// read returns the rows of the version table (table, quoted), in
// increasing order of version.
func (r *Runner) read(ctx context.Context, ex dialect.Executor, table string) ([]record, error) {
	rows, err := ex.Query(ctx, "SELECT version, name, checksum, applied_at FROM "+table+" ORDER BY version")
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
// with the change of its row in the version table (table, quoted), and
// reports whether it did. Under the lock it reads the version table again:
// it does nothing, reporting false, when another runner has already done
// the same, and refuses when another runner's work since the plan makes m
// no longer the next to apply or revert.
//
// The row changes first, then the file runs. A file that ends the
// transaction itself (a COMMIT or ROLLBACK in it) would otherwise leave
// the row saying what the database does not hold: the row is read back
// after the transaction, and after a failure, and what the version table
// says is made to match what the file committed (see settle).
func (r *Runner) step(ctx context.Context, t target, table string, m Migration, up bool) (ran bool, err error) {
	tx, err := t.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		return false, err
	}
	committed := false
	defer func() {
		if !committed {
			_ = tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	recs, err := r.read(ctx, tx, table)
	if err != nil {
		return false, err
	}
	rec, applied := recordOf(recs, m.Version)
	if up == applied {
		return false, nil
	}
	if err := r.stillNext(recs, m, up); err != nil {
		return false, err
	}
	d := t.Dialect()
	if up {
		_, err = tx.Exec(ctx, "INSERT INTO "+table+" (version, name, checksum) VALUES ("+placeholders(d, 3)+")",
			m.Version, m.Name, m.Checksum)
	} else {
		_, err = tx.Exec(ctx, "DELETE FROM "+table+" WHERE version = "+placeholders(d, 1), m.Version)
	}
	if err != nil {
		return false, fmt.Errorf("version table %s: %w", r.table, err)
	}
	sql := m.Up
	if !up {
		sql = m.Down
	}
	if !isBlank(sql) {
		// No arguments: pgx sends the file in one simple-protocol query,
		// which runs each of its statements; SQLite runs them one by one.
		if _, err := tx.Exec(ctx, sql); err != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
			committed = true // nothing left to roll back
			return false, r.settle(ctx, t, table, m, rec, up, err)
		}
	}
	err = tx.Commit(ctx)
	committed = true
	return r.confirm(ctx, t, table, m, up, err)
}

// recordOf returns the record of version, if recs hold one.
func recordOf(recs []record, version int64) (record, bool) {
	for _, rec := range recs {
		if rec.version == version {
			return rec, true
		}
	}
	return record{}, false
}

// stillNext refuses m when, as the version table recs now stand, it is
// not the next migration to apply (up) or revert: another runner, with
// other files, applied or reverted migrations since the plan was made.
func (r *Runner) stillNext(recs []record, m Migration, up bool) error {
	var plan []Migration
	var err error
	if up {
		plan, err = planUp(r.migrations, recs, m.Version)
	} else {
		plan, err = planDown(r.migrations, recs, 1)
	}
	switch {
	case err != nil:
		return fmt.Errorf("the version table changed meanwhile: %w", err)
	case len(plan) == 0 || plan[0].Version != m.Version:
		next := "none"
		if len(plan) > 0 {
			next = plan[0].String()
		}
		return fmt.Errorf("the version table changed meanwhile: %s is no longer the next (%s is)", m, next)
	}
	return nil
}

// confirm reads back, after the commit (whose error is commitErr), whether
// the version table records m as applied, and reports whether the step
// did what it set out to. The row says what the file committed: a file
// that rolled back the transaction itself took the row's change with it,
// and one that committed it itself took the row too.
func (r *Runner) confirm(ctx context.Context, t target, table string, m Migration, up bool, commitErr error) (bool, error) {
	has, err := recorded(ctx, t, table, m.Version)
	switch {
	case err != nil && commitErr != nil:
		return false, commitErr
	case err != nil:
		return false, fmt.Errorf("version table %s: read back: %w", r.table, err)
	case has == up:
		return true, nil // done, even when the file committed it itself
	case commitErr != nil:
		return false, commitErr
	}
	state := "does not record it as applied"
	if !up {
		state = "still records it as applied"
	}
	return false, fmt.Errorf("the file ended the migration's transaction itself (a ROLLBACK in it?): "+
		"the version table %s, and the statements after that point ran on their own and were kept; "+
		"take the transaction control out of the file and put the database right by hand", state)
}

// settle makes the version table agree with what a failed file left,
// and returns the file's error, failure. Normally the rollback took the
// row's change back with the file's. When the file committed part of
// itself before failing (a COMMIT in it), the row's change was committed
// with that part: settle undoes it, so that the failed migration stays
// pending (up) or applied (down), as its file did not finish, and says so.
func (r *Runner) settle(ctx context.Context, t target, table string, m Migration, rec record, up bool, failure error) error {
	has, err := recorded(ctx, t, table, m.Version)
	if err != nil || has != up {
		return failure
	}
	d := t.Dialect()
	if up {
		_, err = t.Exec(ctx, "DELETE FROM "+table+" WHERE version = "+placeholders(d, 1), m.Version)
	} else {
		_, err = t.Exec(ctx, "INSERT INTO "+table+" (version, name, checksum) VALUES ("+placeholders(d, 3)+")",
			rec.version, rec.name, rec.checksum)
	}
	state := "pending"
	if !up {
		state = "applied"
	}
	if err != nil {
		return fmt.Errorf("%w; the file committed part of itself before failing (a COMMIT in it?), and the version table could not be put back to %s: %v",
			failure, state, err)
	}
	return fmt.Errorf("%w; the file committed part of itself before failing (a COMMIT in it?): that part was kept, and %s stays %s; put the database right by hand",
		failure, m, state)
}

// recorded reports whether the version table (table, quoted) records
// version as applied.
func recorded(ctx context.Context, ex dialect.Executor, table string, version int64) (bool, error) {
	n, err := scalar[int64](ctx, ex, "SELECT count(*) FROM "+table+" WHERE version = "+placeholders(ex.Dialect(), 1), version)
	return n > 0, err
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
