package dialect

import (
	"fmt"
	"time"
)

// Kind is the portable SQL type of a column; each Dialect names it in DDL.
type Kind uint8

// The portable column kinds.
const (
	KindInvalid Kind = iota // the zero Kind: no type was given
	Bool                    // BOOLEAN
	Int16                   // SMALLINT; INTEGER on SQLite
	Int32                   // INTEGER
	Int64                   // BIGINT; INTEGER on SQLite
	Float32                 // REAL
	Float64                 // DOUBLE PRECISION; REAL on SQLite
	String                  // VARCHAR(Size) when Size > 0, else TEXT
	Bytes                   // BYTEA / BLOB
	Time                    // TIMESTAMPTZ on PostgreSQL, sortable UTC text on SQLite
	JSON                    // JSONB on PostgreSQL, TEXT on SQLite
	Numeric                 // NUMERIC(Precision, Scale); TEXT on SQLite so that it stays exact
	Custom                  // Type.Name, written as given
)

var kindNames = [...]string{"invalid", "bool", "int16", "int32", "int64", "float32",
	"float64", "string", "bytes", "time", "json", "numeric", "custom"}

// String returns the kind's lower-case name.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Type is a column's SQL type: a Kind and its parameters.
type Type struct {
	Kind      Kind   // the portable type
	Size      int    // String: maximum length in characters; 0 for unbounded
	Precision int    // Numeric: total digits; 0 for unconstrained
	Scale     int    // Numeric: digits after the point
	Name      string // Custom: the type exactly as the DDL should say it
}

// TimeLayout is the text form of a timestamp on dialects with TimeAsText:
// UTC, with nine fractional digits, so that text order is time order and
// SQLite's date functions still read it.
const TimeLayout = "2006-01-02T15:04:05.000000000Z"

// TimePrecision is the precision of stored timestamps on every dialect:
// PostgreSQL keeps microseconds, and genrepo truncates to the same on
// SQLite, so a time reads back as the same instant on both.
const TimePrecision = time.Microsecond

// FormatTime returns t in TimeLayout, truncated to TimePrecision. The time
// zone is not kept: it is read back as UTC.
func FormatTime(t time.Time) string { return t.Truncate(TimePrecision).UTC().Format(TimeLayout) }

// ParseTime reads a timestamp written by FormatTime, and also the shorter
// forms SQLite's own functions produce (such as CURRENT_TIMESTAMP's
// "2006-01-02 15:04:05"), all taken as UTC.
func ParseTime(s string) (time.Time, error) {
	for _, layout := range [...]string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errorf("cannot read %q as a timestamp", s)
}
