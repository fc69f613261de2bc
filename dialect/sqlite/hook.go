package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/genrepo/genrepo/internal/hookerr"
)

// hookError returns err as a hook may print it: unchanged when its text
// cannot quote a bound value, and otherwise behind a text that says what
// failed without the message (hookerr.Withhold), Unwrap still reaching
// err.
//
// SQLite's messages are kept for the result codes whose messages name
// only tables, columns, constraints and types (a violated constraint,
// other than a trigger's RAISE, whose text is the trigger's; a locked or
// busy database; an I/O error, …), and, for SQLITE_ERROR, when the message
// is one of the forms that name only the statement's objects (no such
// table, a syntax error near a token of the statement, …): SQLITE_ERROR
// also carries the messages of SQL functions, which may quote their
// arguments (a bad JSON path, an FTS5 query). database/sql's and the
// driver's errors are kept when they are about the context, the
// transaction or a count of arguments, and so is the refusal of a
// statement that waited for the one connection (Config.OneConnection); a failed conversion of an argument
// is withheld, since a driver.Valuer's error may quote its value.
func hookError(err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		if safeCode(se) {
			return err
		}
		return hookerr.Withhold(err, "sqlite: "+sqlite.ErrorCodeString[se.Code()&0xff]+
			"; SQLite's message is withheld: it may quote a value")
	}
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "sql: converting argument "); ok {
		name, _, _ := strings.Cut(rest, " ")
		return hookerr.Withhold(err, "sql: converting argument "+name+": the message is withheld: it may quote the value")
	}
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, sql.ErrTxDone), errors.Is(err, sql.ErrConnDone), errors.Is(err, driver.ErrBadConn),
		errors.Is(err, errOneConnBusy):
		return err
	case strings.HasPrefix(msg, "sql: expected ") && strings.Contains(msg, " arguments, got ") && !strings.Contains(msg, ":"),
		strings.HasPrefix(msg, "missing argument with index "):
		return err
	}
	return hookerr.Withhold(err, "sqlite: driver error; its message is withheld: it may quote a value")
}

// safeCode reports whether SQLite's message for se names only the
// statement's objects.
func safeCode(se *sqlite.Error) bool {
	switch code := se.Code(); code & 0xff {
	case sqlite3.SQLITE_CONSTRAINT:
		return code != sqlite3.SQLITE_CONSTRAINT_TRIGGER && code != sqlite3.SQLITE_CONSTRAINT_FUNCTION
	case sqlite3.SQLITE_ERROR:
		return namedError(se.Error())
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_INTERRUPT,
		sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_FULL, sqlite3.SQLITE_CANTOPEN,
		sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_TOOBIG, sqlite3.SQLITE_MISMATCH, sqlite3.SQLITE_RANGE,
		sqlite3.SQLITE_NOMEM, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH, sqlite3.SQLITE_SCHEMA,
		sqlite3.SQLITE_MISUSE, sqlite3.SQLITE_ABORT, sqlite3.SQLITE_PROTOCOL:
		return true
	}
	return false
}

// namedErrors are the forms of SQLITE_ERROR messages, after the driver's
// "SQL logic error: ", that name only the statement's objects or quote its
// text.
var namedErrors = []string{
	"no such table: ", "no such column: ", "no such function: ", "no such index: ",
	"no such savepoint: ", "near \"", "incomplete input", "table ", "index ",
	"ambiguous column name: ", "too many SQL variables", "wrong number of arguments to function ",
	"cannot start a transaction within a transaction", "cannot commit - no transaction is active",
	"cannot rollback - no transaction is active", "no transaction is active",
	"unrecognized token: ", "misuse of aggregate", "foreign key mismatch",
	"cannot store ", "circular reference", "sub-select returns ", "row value misused",
	"ON CONFLICT clause does not match", "RETURNING may not be used", "views may not be",
}

func namedError(msg string) bool {
	msg = strings.TrimPrefix(msg, "SQL logic error: ")
	for _, p := range namedErrors {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}
