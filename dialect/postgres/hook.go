package postgres

import (
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/genrepo/genrepo/internal/hookerr"
)

// hookError returns err as a hook may print it: unchanged when its text
// cannot quote a bound value, and otherwise behind a text that says what
// failed without the message (hookerr.Withhold), Unwrap still reaching
// err.
//
// A server's message is kept for the SQLSTATE classes whose messages the
// server builds from names (of tables, columns, constraints, types) and
// the statement's text, never from the values it was given: see
// namedClasses. Others, above all class 22 (data exception: "invalid input
// syntax for type integer: \"abc\"") and P0 (a PL/pgSQL RAISE), are
// withheld. Of pgx's own errors, those about the connection, the context
// and the transaction are kept, and every other one withheld, since pgx
// quotes the value it could not encode or scan.
func hookError(err error) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		if namedClasses[class(pe.Code)] {
			return err
		}
		return hookerr.Withhold(err, pe.Severity+": "+condition(pe.Code)+" (SQLSTATE "+pe.Code+
			"); the server's message is withheld: it may quote a value")
	}
	// Values first: a value's error may wrap anything.
	if msg := err.Error(); strings.HasPrefix(msg, "failed to encode args[") {
		if i := strings.IndexByte(msg, ']'); i > 0 {
			return hookerr.Withhold(err, msg[:i+1]+": the driver's message is withheld: it may quote the value")
		}
	}
	if sa, ok := errors.AsType[pgx.ScanArgError](err); ok {
		return hookerr.Withhold(err, "can't scan column "+strconv.Quote(sa.FieldName)+
			": the driver's message is withheld: it may quote the value")
	}
	if safeDriverError(err) {
		return err
	}
	return hookerr.Withhold(err, "postgres: driver error; its message is withheld: it may quote a value")
}

// safeDriverError reports whether err, no server's error, is one of pgx's
// errors whose text holds no value: about the connection, the context or
// the transaction, or a wrong count of arguments.
func safeDriverError(err error) bool {
	var ne net.Error
	var ce *pgconn.ConnectError
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, pgconn.ErrConnClosed),
		errors.Is(err, pgx.ErrTxClosed), errors.Is(err, pgx.ErrTxCommitRollback),
		errors.As(err, &ne), errors.As(err, &ce):
		return true
	}
	msg := err.Error()
	return msg == "conn busy" ||
		strings.HasPrefix(msg, "expected ") && strings.Contains(msg, " arguments, got ") && !strings.Contains(msg, ":")
}

// class returns a SQLSTATE's class: its first two characters.
func class(code string) string {
	if len(code) < 2 {
		return code
	}
	return code[:2]
}

// namedClasses are the SQLSTATE classes whose messages the server builds
// from names and statement text only: connection exceptions (08), feature
// not supported (0A), cardinality (21), integrity constraints (23: the
// values are in the error's Detail, which its text leaves out), transaction
// states (25, 2D, 3B, 40), authorization (28), invalid names (26, 34, 3D,
// 3F), syntax and access rules (42), WITH CHECK OPTION (44), resources and
// limits (53, 54), object state (55), operator intervention (57), system
// errors (58, XX).
var namedClasses = map[string]bool{
	"08": true, "0A": true, "21": true, "23": true, "25": true, "26": true, "28": true,
	"2D": true, "34": true, "3B": true, "3D": true, "3F": true, "40": true, "42": true,
	"44": true, "53": true, "54": true, "55": true, "57": true, "58": true, "XX": true,
}

// condition names a SQLSTATE whose message is withheld, as PostgreSQL's
// documentation names it (Appendix A), for the codes a statement's values
// commonly raise, and by its class otherwise.
func condition(code string) string {
	switch code {
	case "22P02":
		return "invalid text representation"
	case "22003":
		return "numeric value out of range"
	case "22001":
		return "string data right truncation"
	case "22007":
		return "invalid datetime format"
	case "22008":
		return "datetime field overflow"
	case "22012":
		return "division by zero"
	case "22021":
		return "character not in repertoire"
	case "22023":
		return "invalid parameter value"
	case "22P05":
		return "untranslatable character"
	case "2202E":
		return "array subscript error"
	}
	switch class(code) {
	case "22":
		return "data exception"
	case "P0":
		return "PL/pgSQL error"
	case "38", "39":
		return "external routine exception"
	case "2F":
		return "SQL routine exception"
	case "27":
		return "triggered data change violation"
	}
	return "error"
}
