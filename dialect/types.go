package dialect

import (
	"fmt"
	"strings"
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
	Time                    // TIMESTAMPTZ on PostgreSQL, UTC text in TimeLayout on SQLite
	JSON                    // JSONB on PostgreSQL, TEXT on SQLite
	Numeric                 // NUMERIC(Precision, Scale); on SQLite 64-bit numbers, exact to 15 digits
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

// TimeLayout is the text form of a timestamp on dialects with TimeAsText
// (SQLite): UTC, a space between date and time, and the fraction of a second
// written only as far as it is not zero. It is the form SQLite's own
// CURRENT_TIMESTAMP and datetime() write, and most other programs: a time
// of whole seconds is stored exactly as they store it, and so compares equal
// to it. These texts sort as the times they stand for, among themselves and
// against those forms, because a shorter fraction is a prefix of a longer
// one ("…:05" < "…:05.25" < "…:05.5"). A fraction written with trailing
// zeros, as strftime('%f') and many programs write it ("…:05.500"), still
// sorts among other instants as it should, but compares greater than the
// same instant in this form, so an equality with it fails: such columns
// need their values rewritten in this form first. Only years 0001 to 9999
// have this form; genrepo refuses others (see Features.MinTime).
const TimeLayout = "2006-01-02 15:04:05.999999"

// TimePrecision is the precision of stored timestamps on every dialect:
// PostgreSQL keeps microseconds, and genrepo truncates to the same on
// SQLite, so a time reads back as the same instant on both.
const TimePrecision = time.Microsecond

// FormatTime returns t in TimeLayout, truncated to TimePrecision. The time
// zone is not kept: it is read back as UTC. The year is not checked; the
// codec that calls it refuses a time outside Features.MinTime and MaxTime
// first.
func FormatTime(t time.Time) string { return t.Truncate(TimePrecision).UTC().Format(TimeLayout) }

// ParseTime reads a timestamp in any of the forms SQLite and the programs
// that write to it use: TimeLayout and CURRENT_TIMESTAMP's form, a "T"
// instead of the space, no seconds ("2006-01-02 15:04"), a fraction of any
// length, a "Z" or a "±hh:mm" or "±hhmm" offset, a date alone, and
// time.Time.String's form ("2006-01-02 15:04:05.5 +0100 CET", with or
// without its monotonic reading), which modernc.org/sqlite writes by
// default. A time without an offset is taken as UTC, as SQLite's date
// functions take it; the result is in UTC. Numbers (Unix times, Julian
// days) are not read: they are ambiguous.
func ParseTime(s string) (time.Time, error) {
	in := s
	if i := strings.Index(s, " m="); i > 0 {
		s = s[:i]
	}
	for _, layout := range [...]string{
		"2006-01-02 15:04:05", // a fraction, when present, is read too
		"2006-01-02 15:04:05Z07:00",
		"2006-01-02T15:04:05Z07:00",
		"2006-01-02T15:04:05",
		"2006-01-02 15:04:05 -0700 MST",
		"2006-01-02 15:04:05 -0700 -0700", // String's form in a zone with no abbreviation
		"2006-01-02 15:04:05-0700",
		"2006-01-02 15:04",
		"2006-01-02T15:04",
		"2006-01-02 15:04Z07:00",
		"2006-01-02T15:04Z07:00",
		"2006-01-02",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errorf("cannot read %q as a timestamp", in)
}
