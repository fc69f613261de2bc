// Package dialect is genrepo's bottom layer, its Engine: the interfaces
// through which every other package runs SQL, the transactions, the
// constraint errors, and what differs between the databases genrepo
// supports. The drivers live in sub-packages: dialect/postgres (pgx v5 and
// pgxpool) and dialect/sqlite (modernc.org/sqlite, pure Go). A program that
// imports only one of them never compiles the other driver.
//
// # Opening a database
//
// dialect/connect opens a database from a URL whose scheme names the
// dialect; each driver package also has an Open of its own.
//
//	db, err := connect.Open(ctx, "sqlite:music.db") // or "postgres://user@host/music"
//	if err != nil {
//		return err
//	}
//	defer db.Close()
//
// Options common to every Open, such as WithHook and WithLogger, are
// passed after the URL.
//
// # Executors
//
// A DB is a pool, a Conn one connection pinned from it, a Tx a transaction.
// All three are an Executor, so code written against an Executor runs the
// same inside or outside a transaction:
//
//	n, err := ex.Exec(ctx, "DELETE FROM track WHERE album_id = $1", albumID)
//	rows, err := ex.Query(ctx, "SELECT id, title FROM track")
//	if err != nil {
//		return err
//	}
//	defer rows.Close()
//	for rows.Next() {
//		var id int64
//		var title string
//		if err := rows.Scan(&id, &title); err != nil {
//			return err
//		}
//	}
//	return rows.Close() // reports what ended the iteration
//
// Statements are written for the executor's Dialect: placeholders are $1,
// $2, … on PostgreSQL and ? on SQLite (Dialect.AppendPlaceholder writes
// either), and arguments are always bound, never interpolated. Identifiers
// are quoted with Quote or QuoteIdent, which both databases accept, and
// may be checked first with CheckIdent. Higher layers (query, repo) write
// all of this for you.
//
// # Transactions
//
// Begin starts a transaction; Commit or Rollback ends it, after which
// Exec, Query, Savepoint, Commit and Rollback return ErrTxDone. InTx is the usual way to use one: it
// commits when fn returns nil, and rolls back when fn returns an error or
// panics (the panic goes on after the rollback).
//
//	err := dialect.InTx(ctx, db, func(tx dialect.Executor) error {
//		if _, err := tx.Exec(ctx, debit, from, amount); err != nil {
//			return err // rolled back
//		}
//		_, err := tx.Exec(ctx, credit, to, amount)
//		return err
//	})
//
// Given a transaction, InTx works in a savepoint instead (Tx.Savepoint), so
// a failing inner step undoes only its own work and the caller decides
// about the rest. TxOptions asks for an isolation level and for a
// read-only transaction, in which writes fail.
//
// # Batches
//
// SendBatch runs a list of Statements, each with an optional callback for
// its rows or its count of affected rows. On PostgreSQL (a Batcher) they
// travel in one round trip; elsewhere they run one after another. It
// returns the first error, after which the later statements may or may
// not have run, so run a batch in a transaction rolled back on error:
//
//	err := dialect.InTx(ctx, db, func(tx dialect.Executor) error {
//		return dialect.SendBatch(ctx, tx, []dialect.Statement{
//			{SQL: insertTrack, Args: []any{albumID, title}, Rows: scanID},
//			{SQL: touchAlbum, Args: []any{albumID}, Done: wantOne},
//		})
//	})
//
// # Errors
//
// A statement that violates a constraint fails with a *ConstraintError,
// whatever executor ran it and whether the violation surfaced in Exec,
// Query or the rows' Err. It matches exactly one of ErrUnique,
// ErrForeignKey, ErrNotNull and ErrCheck with errors.Is, and unwraps to the
// driver's error (*pgconn.PgError, *sqlite.Error), still reachable with
// errors.As:
//
//	_, err := db.Exec(ctx, insertArtist, "Queen")
//	if errors.Is(err, dialect.ErrUnique) {
//		var ce *dialect.ConstraintError
//		errors.As(err, &ce)
//		log.Printf("duplicate in %s (%s)", ce.Table, ce.Constraint)
//	}
//
// The fields of a ConstraintError hold what the driver reports:
//
//	            PostgreSQL                   SQLite
//	unique      Table, Constraint            Table, Column (all of them)
//	foreign key Table, Constraint            nothing
//	not null    Table, Column                Table, Column
//	check       Table, Constraint            Constraint (its name or expression)
//
// A primary-key violation is a Unique one. A transaction the database gave
// up on because of others (PostgreSQL's serialization failure 40001 and
// deadlock 40P01, SQLite's SQLITE_BUSY) fails with a *RetryableError,
// matching ErrRetryable: running the whole transaction again may succeed.
//
// On PostgreSQL the connection itself can fail, in three ways that call
// for different answers: ErrCannotConnect (no connection could be made:
// nothing was done, try again after a pause), ErrConnLost (the connection
// was lost before the work was committed: the server rolled it back, and
// running it again is safe) and ErrCommitUnknown (lost while the COMMIT
// was on its way: the work may have been committed, so look before doing
// it again). SQLite, in the process, returns none of them.
//
// Any other error of a statement comes back as the driver reported it,
// except the drivers' own errors for a finished transaction, which become
// ErrTxDone. Beyond these, packages
// above return ErrInvalidText for a string PostgreSQL cannot store (and
// for a LIKE pattern holding a NUL byte on SQLite), ErrNotStorable for a
// value the dialect would store as another one (a NaN on SQLite, a time
// out of range, a decimal of too many digits for SQLite or an infinity in
// its NUMERIC(p,s) column), and ErrUnsupported for a statement that needs
// a capability the dialect lacks; all before anything is sent, with the
// table and column named.
//
// # Dialects and features
//
// A Dialect says what differs: placeholders, the DDL type of each portable
// Kind (ColumnType), error translation, and capabilities as Features
// flags. Code above this package asks "does it support RETURNING?" through
// Features rather than switching on Name, so that adding a database means
// adding a Dialect.
//
// # Differences between the databases
//
// genrepo hides what it can and makes both databases behave alike where it
// is cheap. What remains:
//
//   - Times. Both keep microseconds: PostgreSQL's timestamptz does, and
//     genrepo truncates (never rounds) times to TimePrecision before it
//     writes them to SQLite, where they are TEXT in TimeLayout ("2006-01-02
//     15:04:05.999999", UTC), the form of SQLite's CURRENT_TIMESTAMP and
//     datetime() and of most programs, so that text order is time order
//     among them. ParseTime reads the other forms SQLite's writers use (a
//     "T", an offset, a date alone); those read back correctly but compare
//     as text. The zone is not kept: times read back in UTC on both.
//     Compare times with Equal. Each dialect stores a range of times
//     exactly (Features.MinTime, MaxTime): years 0001 to 9999 on SQLite,
//     4714 BC to 294276 AD on PostgreSQL; a time outside is refused before
//     it is sent, with ErrNotStorable.
//   - NUMERIC is numeric(p,s) on both, but SQLite's NUMERIC holds 64-bit
//     integers and floats (Features.NumericDigits): genrepo binds decimals
//     there as numbers, so that they compare, sort and add up as on
//     PostgreSQL, against any program's numbers; reads them back as decimal
//     text with the column's scale; and refuses a decimal of more than 15
//     significant digits that is no whole number within 64 bits
//     (ErrNotStorable). SQLite stores NaN as NULL, so genrepo refuses NaN
//     there (Features.NaNAsNull); PostgreSQL stores it.
//   - A string column's Size is VARCHAR(n) on both, but only PostgreSQL
//     refuses a longer value; SQLite stores it whole.
//   - Text: PostgreSQL cannot store a NUL byte or invalid UTF-8, and genrepo
//     refuses such strings with ErrInvalidText before sending them
//     (Features.StrictText). SQLite stores them.
//   - LIKE is case-sensitive on both: genrepo turns on SQLite's
//     case_sensitive_like. PostgreSQL also has ILIKE (Features.ILike).
//     SQLite's LIKE reads a value only up to its first NUL byte and reads
//     invalid UTF-8 as characters (Features.ByteTextMatch), so there the
//     query package writes Contains, HasPrefix and HasSuffix as
//     comparisons of bytes (instr, substr) and refuses a LIKE pattern
//     holding a NUL byte with ErrInvalidText.
//   - Write transactions on SQLite begin with BEGIN IMMEDIATE: they take the
//     database's single write lock at Begin, so concurrent writers queue
//     (for up to ten seconds, the busy timeout, which sqlite.Config sets)
//     rather than fail with SQLITE_BUSY halfway through. A writer that
//     waits longer fails with ErrRetryable, having written nothing.
//     Readers are not blocked: file databases use write-ahead logging.
//   - Read-only transactions: PostgreSQL's READ ONLY; on SQLite a deferred
//     BEGIN, which takes no write lock, with PRAGMA query_only set on the
//     connection for the transaction's length.
//   - Isolation levels are set on PostgreSQL; SQLite accepts any level and
//     runs every transaction serializably.
//   - A failed statement in a transaction: PostgreSQL aborts the whole
//     transaction (later statements fail, and Commit rolls back and returns
//     an error) unless the failure was inside a savepoint that is rolled
//     back; SQLite undoes only the failed statement.
//   - Foreign keys are enforced on both (SQLite: PRAGMA foreign_keys on
//     every connection).
//   - In-memory databases (sqlite::memory:) use SQLite's memdb VFS: one
//     database shared by every connection of the pool, private to it, gone
//     when it is closed.
//   - Parameters per statement: 65535 on PostgreSQL, 32766 on SQLite
//     (Features.MaxParams).
//
// # Hooks and logging
//
// WithHook calls a function after every statement and transaction step
// with an Event: the operation, the SQL, the number of arguments, the
// duration and the driver's error; a query is reported when its rows are
// done, with the error that ended them. WithLogger logs each event to a
// log/slog logger, at Debug level, or Error when the step failed.
// Argument values are never passed to hooks or logged, neither as
// arguments nor inside an error's text: a driver's message that may quote
// one is withheld from the Event (see Event.Err).
//
//	db, err := connect.Open(ctx, url, dialect.WithLogger(slog.Default()))
//
// # Concurrency
//
// A DB is safe for concurrent use by many goroutines; Conn, Tx and Rows
// are not, and belong to one goroutine at a time. Dialect and Features
// values are immutable. A hook is called from the goroutine that ran the
// statement and must be safe for concurrent use.
package dialect
