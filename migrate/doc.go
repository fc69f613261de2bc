// Package migrate applies versioned SQL migrations to a PostgreSQL or
// SQLite database through genrepo's dialect package, and reverts them. It
// is a module of its own, so a program that only reads and writes rows
// never compiles it. It is the library behind `genrepo migrate`; a
// service can also migrate itself at start-up from files embedded in its
// binary:
//
//	//go:embed migrations/*.sql
//	var migrations embed.FS
//
//	r, err := migrate.New(db, migrations, "migrations", migrate.Options{})
//	if err != nil {
//		return err
//	}
//	applied, err := r.Up(ctx, 0) // every pending migration
//
// # Files
//
// A migration is a pair of files in one directory of an fs.FS (embed.FS,
// os.DirFS, fstest.MapFS):
//
//	0001_create_artist.up.sql     the SQL that applies version 1
//	0001_create_artist.down.sql   the SQL that reverts it (optional)
//	0002_add_artist_index.up.sql
//	0002_add_artist_index.down.sql
//
// The version is a positive integer, written zero-padded by NewFiles so
// that the files sort as they apply (0002 and 2 are the same version).
// Migrations apply in increasing order of version. A migration without a
// down file cannot be reverted: Down refuses it, before reverting
// anything. A down file with no SQL in it (only comments, as NewFiles
// writes it) is refused by Down too (ErrEmptyDown), before reverting
// anything: it would revert nothing and report success. Write the SQL
// that reverts the migration, or delete the file to mark it
// irreversible. Files whose names do not end in .sql (in any case) are
// ignored, so a README may sit beside the migrations; a name ending in
// .SQL or .Up.sql is refused, never left out.
//
// Load (which New calls) refuses, with an error naming the file, a name
// of another form, two files of one version, a down file without its up
// file, and an up file with no SQL in it. NewFiles writes the next
// version's pair, each holding only a comment.
//
// A file may hold any number of statements, separated by semicolons as
// in psql or the sqlite3 shell, with comments, strings holding
// semicolons, and (on PostgreSQL) dollar-quoted function bodies or (on
// SQLite) trigger bodies. The runner does not split it: it sends the
// whole file in one Exec without arguments, which pgx sends as one
// simple-protocol query that PostgreSQL runs statement by statement, and
// which modernc.org/sqlite runs statement by statement too.
//
// # The version table
//
// The runner records each applied migration in a table,
// genrepo_migrations unless Options.Table names another, created if
// missing by Up and Down:
//
//	version     BIGINT primary key (INTEGER on SQLite)
//	name        the name from the file
//	checksum    hexadecimal SHA-256 of the up file, as applied
//	applied_at  when it was applied (TIMESTAMPTZ; UTC text on SQLite)
//
// On PostgreSQL it lives in the current schema (the first of the
// search_path that exists), and the runner's statements name it
// qualified by that schema: a version table of a later schema of the
// search_path is never read in its place.
//
// # Applying and reverting
//
// Up(ctx, to) applies the pending migrations in order, up to version to,
// or all with 0. Down(ctx, n) reverts the last n applied, the latest
// first. Both return the migrations they applied or reverted.
//
// Each migration runs in a transaction of its own, together with the
// insertion (or deletion) of its row in the version table. PostgreSQL and
// SQLite both run DDL in transactions, so a migration that fails halfway
// leaves nothing behind: the database stays at the version before it,
// and the error names the file:
//
//	migrate: up: 0002_add_artist_index.up.sql: ERROR: column "nam" does not exist (SQLSTATE 42703)
//
// Up refuses to run, applying nothing, when the up file of an applied
// migration has changed since (ErrChanged: its checksum differs), when
// the version table holds a version no file has (ErrMissing: the database
// is ahead of the program), and when a pending migration is older than
// an applied one (ErrOutOfOrder: renumber it). Down reverts a changed
// migration with its current down file: revert, edit, apply again is how
// a migration is reworked during development.
//
// Status lists every migration as Pending, Applied, Changed or Missing,
// with the time it was applied. It changes nothing.
//
// # Locking
//
// Two instances of a service starting at once must not both migrate.
// On PostgreSQL the runner pins one connection of the pool and takes a
// session-level advisory lock (pg_advisory_lock) whose key is derived
// from the version table's name and schema; a second runner waits for it
// (until its context ends), then reads the version table and finds
// nothing left to do. Every step runs on the pinned connection, and the
// lock is released when Up or Down returns, or by the server when the
// connection is lost. Before the connection goes back to the pool, what
// the migrations set for the session (SET lock_timeout, SET search_path,
// SET ROLE: anything but SET LOCAL) is put back as it was before the run,
// so the program's next query on it does not inherit it; should that
// fail, Up or Down says so in its error. On SQLite, a PRAGMA that sets a
// setting of the connection (case_sensitive_like, recursive_triggers,
// busy_timeout, foreign_keys…) would stay set on the connection of the
// pool the migration ran on, and some cannot be read back to be put back:
// Up and Down refuse a file holding one (ErrPragma), before applying or
// reverting anything. PRAGMAs that read or check (PRAGMA foreign_keys;,
// foreign_key_check), set numbers of the database file (user_version,
// application_id) or last one transaction (defer_foreign_keys) run.
// PRAGMA foreign_keys = OFF, the first step of SQLite's table rebuild,
// would do nothing anyway inside the migration's transaction.
//
// On SQLite each migration's transaction begins with BEGIN IMMEDIATE (as
// every read-write transaction of genrepo's sqlite dialect does), which
// takes the database's write lock, and reads the version table again
// under it before running the migration: a second runner, in this
// process or another, waits for the lock (the busy timeout, ten seconds
// by default) and then skips what the first applied. One that waits longer
// fails with an error matching dialect.ErrRetryable, having changed
// nothing. Under that lock each step also checks that its migration is
// still the next to apply (or revert) as the version table now stands,
// with the refusals of Up and Down: a runner whose plan another runner
// with other files has overtaken (a later migration applied on top of
// the one it meant to revert, one of its own now older than an applied
// one) stops with an error before changing anything. On PostgreSQL,
// where the lock covers the whole run, the same check never fires.
//
// # Writing migrations
//
// Every statement of a file runs inside the migration's transaction, so
// a file must not begin, commit or roll back a transaction itself. The
// runner changes the version table's row before the file runs and reads
// it back afterwards, so such a file is never recorded as what it did
// not do: after a ROLLBACK in a file its migration is not recorded (the
// statements after the ROLLBACK ran on their own and were kept) and the
// step fails; after a COMMIT followed by a failure the part before the
// COMMIT is kept, the migration stays pending (or, for a down file,
// applied), and the error says so. A file that wraps itself in BEGIN and
// COMMIT applies whole on PostgreSQL (which only warns of the BEGIN),
// and SQLite refuses its BEGIN before anything runs. Statements that
// refuse to run in a transaction are not supported: PostgreSQL's
// CREATE INDEX CONCURRENTLY, VACUUM, ALTER SYSTEM. On SQLite, PRAGMA
// foreign_keys has no effect inside a transaction; a migration that
// rebuilds a table (create the new one, copy, drop, rename) uses PRAGMA
// defer_foreign_keys = ON instead, which lasts until the transaction
// commits.
//
// # Errors
//
// Errors name their operation and file once, "migrate: up: FILE: …",
// "migrate: load: FILE: …", and wrap the database's error, so
// errors.Is(err, dialect.ErrRetryable) and errors.As on the driver's
// error work, as does errors.Is with ErrChanged, ErrMissing,
// ErrIrreversible and ErrOutOfOrder.
package migrate
