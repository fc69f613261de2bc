package sqlite

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/genrepo/genrepo/dialect"
)

type sqliteDialect struct{}

var features = dialect.Features{
	Returning:        true,
	Upsert:           dialect.UpsertOnConflict,
	MaxParams:        32766,
	NullsOrder:       true,
	TimeAsText:       true,
	ByteTextMatch:    true,
	JSONArrayParams:  true,
	AutoKeyInline:    true,
	OffsetNeedsLimit: true,
	// LiteralLimit stays false: SQLite compiles a statement once into a
	// program that reads its bound LIMIT as it runs, with no plan to
	// reuse or lose, and the statement cache keeps statements by text, so
	// a literal limit would only add one statement per limit.
	// strftime's %f gives seconds with three decimals; trimming its
	// trailing zeros, and the point when nothing is left after it, gives
	// dialect.TimeLayout, which CURRENT_TIMESTAMP's whole seconds share.
	NowSQL: "(rtrim(rtrim(strftime('%Y-%m-%d %H:%M:%f', 'now'), '0'), '.'))",
	// TimeLayout has four digits of year.
	MinTime:       time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
	MaxTime:       time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC),
	NaNAsNull:     true,
	NumericDigits: 15,
	ScalarMinMax:  true,
}

// Dialect returns the SQLite dialect, for rendering statements without a
// database.
func Dialect() dialect.Dialect { return sqliteDialect{} }

func (sqliteDialect) Name() string                { return "sqlite" }
func (sqliteDialect) Features() *dialect.Features { return &features }

func (sqliteDialect) AppendPlaceholder(b []byte, _ int) []byte { return append(b, '?') }

// ColumnType names SQLite's storage classes. A generated key is an
// INTEGER PRIMARY KEY (an alias of the rowid), which SQLite requires to be
// spelled INTEGER exactly; AUTOINCREMENT keeps keys of deleted rows from
// being handed out again, as a PostgreSQL identity column does. Strings
// and times are TEXT (times as dialect.TimeLayout). NUMERIC(p,s) keeps its
// name, and so SQLite's NUMERIC affinity: values are stored as INTEGER or
// REAL, which compare, sort and add up as numbers, as other programs'
// NUMERIC columns do (genrepo binds them as numbers; see
// Features.NumericDigits).
func (sqliteDialect) ColumnType(t dialect.Type, auto bool) string {
	switch t.Kind {
	case dialect.Bool:
		return "BOOLEAN"
	case dialect.Int16, dialect.Int32, dialect.Int64:
		if auto {
			return "INTEGER PRIMARY KEY AUTOINCREMENT"
		}
		return "INTEGER"
	case dialect.Float32, dialect.Float64:
		return "REAL"
	case dialect.String:
		if t.Size > 0 {
			return "VARCHAR(" + strconv.Itoa(t.Size) + ")"
		}
		return "TEXT"
	case dialect.Bytes:
		return "BLOB"
	case dialect.Time, dialect.JSON:
		return "TEXT"
	case dialect.Numeric:
		if t.Precision > 0 {
			return "NUMERIC(" + strconv.Itoa(t.Precision) + "," + strconv.Itoa(t.Scale) + ")"
		}
		return "NUMERIC"
	}
	return t.Name
}

// TranslateError maps SQLite's extended constraint codes to
// *dialect.ConstraintError. SQLite names the table and column of unique and
// not-null violations, the constraint (or its expression) of a failed
// CHECK, and nothing for a foreign key. SQLITE_BUSY (and its extended
// codes) becomes *dialect.RetryableError. database/sql's error for a finished
// transaction becomes dialect.ErrTxDone.
func (sqliteDialect) TranslateError(err error) error { return translateError(err) }

// endedBySQLite reports whether err is SQLite's answer to a ROLLBACK of
// a transaction that it had already rolled back by itself.
func endedBySQLite(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_ERROR &&
		strings.Contains(se.Error(), "no transaction is active")
}

func translateError(err error) error {
	if err == nil {
		return nil // before se below, which escapes: no allocation per statement
	}
	if errors.Is(err, sql.ErrTxDone) {
		return dialect.ErrTxDone
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	if se.Code()&0xff == sqlite3.SQLITE_BUSY {
		return &dialect.RetryableError{Err: err}
	}
	ce := &dialect.ConstraintError{Err: err}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		ce.Kind = dialect.Unique
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		ce.Kind = dialect.ForeignKey
		return ce
	case sqlite3.SQLITE_CONSTRAINT_TRIGGER:
		// ON DELETE RESTRICT fails as SQLite's internal trigger does,
		// not with the foreign-key code.
		if !strings.Contains(se.Error(), "FOREIGN KEY constraint failed") {
			return err
		}
		ce.Kind = dialect.ForeignKey
		return ce
	case sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		ce.Kind = dialect.NotNull
	case sqlite3.SQLITE_CONSTRAINT_CHECK:
		ce.Kind = dialect.Check
		ce.Constraint = detail(se.Error())
		return ce
	default:
		return err
	}
	// "UNIQUE constraint failed: artist.name, artist.other" names the
	// columns, each qualified by its table.
	cols := strings.Split(detail(se.Error()), ", ")
	for i, c := range cols {
		table, col, ok := strings.Cut(c, ".")
		if !ok {
			break
		}
		ce.Table = table
		cols[i] = col
	}
	if ce.Table != "" {
		ce.Column = strings.Join(cols, ", ")
	}
	return ce
}

// detail returns what SQLite said after "constraint failed: ", without the
// driver's trailing "(code)".
func detail(msg string) string {
	const marker = "constraint failed: "
	if i := strings.LastIndex(msg, marker); i >= 0 {
		msg = msg[i+len(marker):]
	}
	if i := strings.LastIndex(msg, " ("); i >= 0 && strings.HasSuffix(msg, ")") {
		msg = msg[:i]
	}
	return msg
}
