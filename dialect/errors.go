package dialect

import (
	"errors"
	"fmt"

	"github.com/genrepo/genrepo/internal/errs"
)

// Sentinels matched, through errors.Is, by the *ConstraintError a dialect
// builds from its driver's error.
var (
	// ErrUnique is matched by a violated unique or primary-key constraint.
	ErrUnique = errors.New("dialect: unique constraint violated")
	// ErrForeignKey is matched by a violated foreign-key constraint.
	ErrForeignKey = errors.New("dialect: foreign key constraint violated")
	// ErrNotNull is matched by a NULL written to a NOT NULL column.
	ErrNotNull = errors.New("dialect: not-null constraint violated")
	// ErrCheck is matched by a violated CHECK constraint.
	ErrCheck = errors.New("dialect: check constraint violated")
)

// ErrInvalidText is returned, wrapped with the column's name, when a string
// cannot be stored by a dialect with StrictText (PostgreSQL): it holds a NUL
// byte or is not valid UTF-8. It is also returned for a LIKE pattern holding
// a NUL byte on a dialect with ByteTextMatch (SQLite), whose LIKE would stop
// reading the pattern there. Nothing is sent to the database.
var ErrInvalidText = errors.New("dialect: text holds a NUL byte or invalid UTF-8")

// ErrNotStorable is returned, wrapped with the column's name and what was
// wrong, when a dialect cannot store a value as it is and would store
// another one instead: a NaN on SQLite, which stores NULL (see
// Features.NaNAsNull); a time outside Features.MinTime and MaxTime; a
// decimal with more significant digits than SQLite's 64-bit numbers keep
// (Features.NumericDigits), or an infinity for a NUMERIC column with a
// precision there. The value is refused before anything is sent, in
// writes and in conditions alike.
var ErrNotStorable = errors.New("dialect: value cannot be stored as it is")

// ErrUnsupported is returned, wrapped, when a statement needs a capability
// the dialect lacks.
var ErrUnsupported = errors.New("dialect: not supported by this dialect")

// ConstraintKind says which kind of constraint a ConstraintError reports.
type ConstraintKind uint8

// The constraint kinds.
const (
	Unique     ConstraintKind = iota + 1 // a UNIQUE or PRIMARY KEY constraint
	ForeignKey                           // a FOREIGN KEY, on insert, update or delete
	NotNull                              // a NULL in a NOT NULL column
	Check                                // a CHECK constraint
)

// String returns the kind's name as SQL says it.
func (k ConstraintKind) String() string {
	switch k {
	case Unique:
		return "unique"
	case ForeignKey:
		return "foreign key"
	case NotNull:
		return "not null"
	case Check:
		return "check"
	}
	return "unknown"
}

func (k ConstraintKind) sentinel() error {
	switch k {
	case Unique:
		return ErrUnique
	case ForeignKey:
		return ErrForeignKey
	case NotNull:
		return ErrNotNull
	case Check:
		return ErrCheck
	}
	return nil
}

// ConstraintError reports a violated constraint. The dialect builds it from
// the driver's error, which Unwrap returns, so errors.As still reaches
// *pgconn.PgError or the SQLite error. Table, Column and Constraint are
// filled where the driver reports them and are empty otherwise (SQLite names
// no constraint, and no table for a foreign key).
type ConstraintError struct {
	Kind       ConstraintKind // which constraint was violated; its sentinel matches
	Table      string         // the table written, where the driver names it
	Column     string         // the column or columns (comma-separated), where named
	Constraint string         // the constraint's name (SQLite: a CHECK's name or expression)
	Err        error          // the driver's error
}

// Error describes the violation, naming what the driver named.
func (e *ConstraintError) Error() string {
	msg := "dialect: " + e.Kind.String() + " constraint"
	if e.Constraint != "" {
		msg += fmt.Sprintf(" %q", e.Constraint)
	}
	msg += " violated"
	switch {
	case e.Table != "" && e.Column != "":
		msg += fmt.Sprintf(" on %s.%s", e.Table, e.Column)
	case e.Table != "":
		msg += " on " + e.Table
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the driver's error.
func (e *ConstraintError) Unwrap() error { return e.Err }

// Is reports whether target is the sentinel of e's kind.
func (e *ConstraintError) Is(target error) bool {
	return target != nil && target == e.Kind.sentinel()
}

func errorf(format string, args ...any) error {
	return errs.Errorf("dialect: "+format, args...)
}

// ErrRetryable is matched, through errors.Is, by an error that reports a
// transaction the database gave up on because of other transactions, and
// that may succeed when run again from the start: a serialization failure
// (PostgreSQL SQLSTATE 40001), a detected deadlock (40P01) or a database
// that stayed locked (SQLITE_BUSY). The dialect returns it as a
// *RetryableError around the driver's error.
var ErrRetryable = errors.New("dialect: transaction conflict, retry it")

// RetryableError is the error a dialect returns for a transient conflict
// between transactions. It matches ErrRetryable, and Unwrap returns the
// driver's error, so errors.As still reaches *pgconn.PgError or the SQLite
// error.
type RetryableError struct {
	Err error // the driver's error
}

// Error returns the driver's message.
func (e *RetryableError) Error() string { return "dialect: retryable: " + e.Err.Error() }

// Unwrap returns the driver's error.
func (e *RetryableError) Unwrap() error { return e.Err }

// Is reports whether target is ErrRetryable.
func (e *RetryableError) Is(target error) bool { return target == ErrRetryable }

// ErrConnLost is matched, through errors.Is, by an error that reports the
// connection to the database lost before the work could be committed: the
// network failed (the connection was reset or ended unexpectedly), the
// server shut down or terminated the session (PostgreSQL SQLSTATE 57P01,
// 57P02 and the connection exceptions of class 08), or the connection was
// already closed. It is returned by Begin, by a transaction's statements,
// by a savepoint's Commit, and by a transaction's Commit when the
// connection was known to be closed before the COMMIT could be sent.
// Nothing of the transaction is committed: the server rolls back a
// transaction whose connection ends, so running the whole transaction
// again on a new connection is safe (uow.Retry does). The pool opens a
// new connection for the next transaction. A connection lost while a
// COMMIT was on its way is ErrCommitUnknown instead, never ErrConnLost.
// The dialect returns it as a *ConnLostError.
var ErrConnLost = errors.New("dialect: connection to the database lost")

// ConnLostError is the error a dialect returns when the connection is
// lost. It matches ErrConnLost, and Unwrap returns the driver's error.
type ConnLostError struct {
	Err error // the driver's error
}

// Error returns the driver's message.
func (e *ConnLostError) Error() string { return "dialect: connection lost: " + e.Err.Error() }

// Unwrap returns the driver's error.
func (e *ConnLostError) Unwrap() error { return e.Err }

// Is reports whether target is ErrConnLost.
func (e *ConnLostError) Is(target error) bool { return target == ErrConnLost }

// ErrCannotConnect is matched, through errors.Is, by an error that reports
// that no connection to the database could be made for a reason that may
// pass: the server refused the connection or did not answer (it is down or
// restarting), or answered that it is starting up, shutting down or has too
// many connections (PostgreSQL SQLSTATE 57P03, 53300). It is returned by
// Begin, Conn, Ping and the statements run on a pool, when the pool needed
// a new connection; nothing was sent, so nothing was done. Running the
// work again after a pause is safe, and may succeed once the server is
// back: uow.Retry does, with its growing backoff. A connection refused for
// good (a wrong password, an unknown database) does not match it and is
// returned as the driver reported it. It does not match ErrConnLost,
// which reports a connection that existed. The dialect returns it as a
// *CannotConnectError.
var ErrCannotConnect = errors.New("dialect: cannot connect to the database")

// CannotConnectError is the error a dialect returns when it cannot open a
// connection. It matches ErrCannotConnect, and Unwrap returns the driver's
// error (*pgconn.ConnectError).
type CannotConnectError struct {
	Err error // the driver's error
}

// Error returns the driver's message.
func (e *CannotConnectError) Error() string { return "dialect: cannot connect: " + e.Err.Error() }

// Unwrap returns the driver's error.
func (e *CannotConnectError) Unwrap() error { return e.Err }

// Is reports whether target is ErrCannotConnect.
func (e *CannotConnectError) Is(target error) bool { return target == ErrCannotConnect }

// ErrCommitUnknown is matched, through errors.Is, by an error that reports
// that the work may or may not have been committed: the COMMIT was sent (or
// may have been), and its answer never arrived, because the connection was
// lost or the context given to Commit ended while it waited. It is
// returned by a transaction's Commit, and on PostgreSQL by a statement run
// outside a transaction (on a DB or a Conn, where each statement commits
// by itself) whose connection was lost after it was sent. The server may
// have committed the work just before the connection went, so it must not
// be run again blindly, which might do it twice; uow.Retry never runs it
// again. To reconcile, look for the work's effect: give each unit of work
// an idempotency key stored in the same transaction (a unique column),
// and after ErrCommitUnknown read whether the key is there; if it is, the
// work was committed, otherwise run it again. A read-only statement may
// simply be run again. It matches neither ErrConnLost nor ErrRetryable.
// The dialect returns it as a *CommitUnknownError. SQLite never returns
// it: its COMMIT runs in the process, and its outcome is always known.
var ErrCommitUnknown = errors.New("dialect: connection lost during commit, outcome unknown")

// CommitUnknownError is the error a dialect returns when whether the work
// was committed cannot be known. It matches ErrCommitUnknown, and Unwrap
// returns the driver's error (or the context's, reached with errors.Is).
type CommitUnknownError struct {
	Err error // the driver's error
}

// Error returns the driver's message.
func (e *CommitUnknownError) Error() string {
	return "dialect: outcome unknown, the commit may have taken effect: " + e.Err.Error()
}

// Unwrap returns the driver's error.
func (e *CommitUnknownError) Unwrap() error { return e.Err }

// Is reports whether target is ErrCommitUnknown.
func (e *CommitUnknownError) Is(target error) bool { return target == ErrCommitUnknown }
