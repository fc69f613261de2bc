package query

import (
	"bytes"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"time"
	"unsafe"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
)

// Codec moves values of type V between Go and a driver. Most types go to
// the driver as they are; timestamps are truncated to TimePrecision,
// checked against the dialect's range and become sortable text on dialects
// with TimeAsText; floats are checked for NaN on dialects with NaNAsNull;
// JSON columns are marshalled; strings are checked on dialects with
// StrictText; and NUMERIC columns are bound as numbers where
// Features.NumericDigits is set (NumericCodec). Codecs are stateless and
// safe for concurrent use.
type Codec[V any] interface {
	// Bind returns the driver argument for v.
	Bind(f *dialect.Features, v V) (any, error)
	// Dest returns the scan destination that stores a column's value in *p.
	Dest(f *dialect.Features, p *V) any
}

// CodecFor returns the codec of V: the time and string forms for
// time.Time, *time.Time, sql.Null[time.Time], sql.NullTime, string,
// *string, sql.Null[string], sql.NullString, named string types and
// pointers to them; a []byte (or a named byte-slice type) that binds nil
// as empty (also behind a pointer or in a valid sql.Null, where only the
// pointer or Valid says NULL); a check for NaN on float types (float32,
// float64, named float types, pointers to them, sql.Null of them,
// sql.NullFloat64) where the dialect would store NULL
// (Features.NaNAsNull); and the driver's own conversion for every other
// type (integers, bool, pointers, sql.Scanner and driver.Valuer
// implementations). It is called once per column, never per row.
func CodecFor[V any]() Codec[V] {
	var zero V
	var c any
	switch any(zero).(type) {
	case string:
		c = stringCodec{}
	case *string:
		c = stringPtrCodec{}
	case sql.Null[string]:
		c = nullStringCodec{}
	case time.Time:
		c = timeCodec{}
	case *time.Time:
		c = timePtrCodec{}
	case sql.Null[time.Time]:
		c = nullTimeCodec{}
	case sql.NullTime:
		c = sameLayout[sql.NullTime, sql.Null[time.Time]]{inner: nullTimeCodec{}}
	case sql.NullString:
		c = sameLayout[sql.NullString, sql.Null[string]]{inner: nullStringCodec{}}
	case []byte:
		c = bytesCodec{}
	case *[]byte:
		c = bytesPtrCodec{}
	case sql.Null[[]byte]:
		c = nullBytesCodec{}
	default:
		if fc, ok := floatCodecOf[V](); ok {
			return fc
		}
		if uc, ok := uintCodecOf[V](); ok {
			return uc
		}
		if nc, ok := namedCodecOf[V](); ok {
			return nc
		}
		return plainCodec[V]{}
	}
	return c.(Codec[V])
}

// namedCodecOf returns the codec of a named string or byte-slice type V
// (type Email string, type Blob []byte), or of a pointer to one: the codec
// of string or []byte, through V's underlying type, so that text is
// checked and a nil slice written as empty bytes as for the unnamed types.
// A type with a Value method of its own keeps the driver's conversion.
func namedCodecOf[V any]() (Codec[V], bool) {
	l, t, ok := layoutOf[V]()
	if !ok || l.hasValid {
		return nil, false
	}
	switch {
	case t.Kind() == reflect.String && !l.pointer:
		return sameLayout[V, string]{inner: stringCodec{}}, true
	case t.Kind() == reflect.String:
		return sameLayout[V, *string]{inner: stringPtrCodec{}}, true
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 && !l.pointer:
		return sameLayout[V, []byte]{inner: bytesCodec{}}, true
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		return sameLayout[V, *[]byte]{inner: bytesPtrCodec{}}, true
	}
	return nil, false
}

// sameLayout is the codec of V, a type whose memory is laid out as U's: a
// named type and its underlying type (or pointers to them), sql.NullTime
// and sql.Null[time.Time], sql.NullString and sql.Null[string]. It binds
// and scans through U's codec.
type sameLayout[V, U any] struct{ inner Codec[U] }

func (c sameLayout[V, U]) Bind(f *dialect.Features, v V) (any, error) {
	return c.inner.Bind(f, *(*U)(unsafe.Pointer(&v)))
}

func (c sameLayout[V, U]) Dest(f *dialect.Features, p *V) any {
	return c.inner.Dest(f, (*U)(unsafe.Pointer(p)))
}

// layout says where the value of a V is: V itself, behind a pointer, or
// in a sql.Null-like struct with a Valid flag. It is worked out once per
// column, so that no reflection runs per value.
type layout struct {
	pointer  bool    // V is a pointer to the value
	valid    uintptr // offset of the Valid flag in a sql.Null-like struct
	hasValid bool
}

// layoutOf returns the layout of V and the type of its value, false when
// that type has a driver.Valuer of its own (which decides what is sent).
func layoutOf[V any]() (layout, reflect.Type, bool) {
	t := reflect.TypeFor[V]()
	var l layout
	switch {
	case t.Kind() == reflect.Pointer:
		l.pointer, t = true, t.Elem()
	case t.Kind() == reflect.Struct && t.PkgPath() == "database/sql" && t.NumField() == 2 &&
		t.Field(1).Name == "Valid" && t.Field(1).Type.Kind() == reflect.Bool:
		l.valid, l.hasValid, t = t.Field(1).Offset, true, t.Field(0).Type
	}
	if t.Implements(valuerType) || reflect.PointerTo(t).Implements(valuerType) {
		return l, t, false
	}
	return l, t, true
}

// at returns the address of the value in the V at p, or nil when the V
// is NULL (a nil pointer, Valid false).
func (l layout) at(p unsafe.Pointer) unsafe.Pointer {
	switch {
	case l.pointer:
		return *(*unsafe.Pointer)(p)
	case l.hasValid && !*(*bool)(unsafe.Add(p, l.valid)):
		return nil
	}
	return p
}

var valuerType = reflect.TypeFor[driver.Valuer]()

// floatCodec binds and scans floats as the driver does, refusing a NaN on
// a dialect that would store it as NULL.
type floatCodec[V any] struct {
	layout
	f32 bool // the float is a float32 (else a float64)
}

// floatCodecOf returns the float codec of V when V is a float type, a
// pointer to one, or one of database/sql's nullable forms of one.
func floatCodecOf[V any]() (Codec[V], bool) {
	l, t, ok := layoutOf[V]()
	if !ok || t.Kind() != reflect.Float32 && t.Kind() != reflect.Float64 {
		return nil, false
	}
	return floatCodec[V]{layout: l, f32: t.Kind() == reflect.Float32}, true
}

func (c floatCodec[V]) Bind(f *dialect.Features, v V) (any, error) {
	if f.NaNAsNull && c.isNaN(unsafe.Pointer(&v)) {
		return nil, errNaN
	}
	return v, nil
}

func (floatCodec[V]) Dest(_ *dialect.Features, p *V) any { return p }

// isNaN reports whether the float in the V at p is a NaN.
func (c floatCodec[V]) isNaN(p unsafe.Pointer) bool {
	switch p = c.at(p); {
	case p == nil:
		return false
	case c.f32:
		x := *(*float32)(p)
		return x != x
	}
	x := *(*float64)(p)
	return x != x
}

// uintCodec binds and scans uint and uint64 values as the driver does,
// refusing one above the largest int64, which no dialect's integer columns
// hold: database/sql refuses it with a message naming no column, and a
// driver may even store the int64 of the same bits, a negative number.
type uintCodec[V any] struct{ layout }

// uintCodecOf returns the uint codec of V when V is a uint or uint64 type,
// a pointer to one, or one of database/sql's nullable forms of one.
func uintCodecOf[V any]() (Codec[V], bool) {
	l, t, ok := layoutOf[V]()
	if !ok || t.Kind() != reflect.Uint && t.Kind() != reflect.Uint64 || t.Size() != 8 {
		return nil, false
	}
	return uintCodec[V]{l}, true
}

func (c uintCodec[V]) Bind(_ *dialect.Features, v V) (any, error) {
	if p := c.at(unsafe.Pointer(&v)); p != nil && *(*uint64)(p) > math.MaxInt64 {
		return nil, errs.Errorf("%w: the unsigned integer %d, above the largest 64-bit signed integer",
			dialect.ErrNotStorable, *(*uint64)(p))
	}
	return v, nil
}

func (uintCodec[V]) Dest(_ *dialect.Features, p *V) any { return p }

type plainCodec[V any] struct{}

func (plainCodec[V]) Bind(_ *dialect.Features, v V) (any, error) { return v, nil }
func (plainCodec[V]) Dest(_ *dialect.Features, p *V) any         { return p }

// bytesCodec binds a nil []byte as an empty one: a []byte field maps to a
// NOT NULL column (nullable bytes are *[]byte or sql.Null[[]byte]), and
// drivers would send nil as NULL. SQLite also reads an empty BLOB back as
// nil, so without it a row read back could not be written again.
type bytesCodec struct{}

func (bytesCodec) Bind(_ *dialect.Features, v []byte) (any, error) {
	if v == nil {
		return []byte{}, nil
	}
	return v, nil
}
func (bytesCodec) Dest(_ *dialect.Features, p *[]byte) any { return p }

// bytesPtrCodec binds a nil pointer as NULL and a pointer to a nil slice as
// empty bytes, which the drivers would send as NULL too.
type bytesPtrCodec struct{}

func (bytesPtrCodec) Bind(f *dialect.Features, v *[]byte) (any, error) {
	if v == nil {
		return nil, nil
	}
	return bytesCodec{}.Bind(f, *v)
}
func (bytesPtrCodec) Dest(_ *dialect.Features, p **[]byte) any { return p }

// nullBytesCodec binds a valid sql.Null[[]byte] holding a nil slice as
// empty bytes, not NULL.
type nullBytesCodec struct{}

func (nullBytesCodec) Bind(f *dialect.Features, v sql.Null[[]byte]) (any, error) {
	if !v.Valid {
		return nil, nil
	}
	return bytesCodec{}.Bind(f, v.V)
}
func (nullBytesCodec) Dest(_ *dialect.Features, p *sql.Null[[]byte]) any { return p }

type stringCodec struct{}

func (stringCodec) Bind(f *dialect.Features, v string) (any, error) {
	if f.StrictText {
		if err := dialect.CheckText(v); err != nil {
			return nil, err
		}
	}
	return v, nil
}
func (stringCodec) Dest(_ *dialect.Features, p *string) any { return p }

type stringPtrCodec struct{}

func (stringPtrCodec) Bind(f *dialect.Features, v *string) (any, error) {
	if v == nil {
		return nil, nil
	}
	return stringCodec{}.Bind(f, *v)
}
func (stringPtrCodec) Dest(_ *dialect.Features, p **string) any { return p }

type nullStringCodec struct{}

func (nullStringCodec) Bind(f *dialect.Features, v sql.Null[string]) (any, error) {
	if !v.Valid {
		return nil, nil
	}
	return stringCodec{}.Bind(f, v.V)
}
func (nullStringCodec) Dest(_ *dialect.Features, p *sql.Null[string]) any { return p }

type timeCodec struct{}

func (timeCodec) Bind(f *dialect.Features, v time.Time) (any, error) {
	v = v.Truncate(dialect.TimePrecision)
	if !f.MaxTime.IsZero() && (v.Before(f.MinTime) || v.After(f.MaxTime)) {
		return nil, errs.Errorf("%w: a time outside %s to %s UTC, the range the dialect stores exactly",
			dialect.ErrNotStorable, yearText(f.MinTime), yearText(f.MaxTime))
	}
	if f.TimeAsText {
		return dialect.FormatTime(v), nil
	}
	return v, nil
}

// yearText writes t's date for messages, with the era where the year is
// not positive (Go's year 0 is 1 BC).
func yearText(t time.Time) string {
	t = t.UTC()
	if y := t.Year(); y <= 0 {
		return fmt.Sprintf("%04d-%02d-%02d BC", 1-y, t.Month(), t.Day())
	}
	return t.Format("2006-01-02")
}

func (timeCodec) Dest(f *dialect.Features, p *time.Time) any {
	if f.TimeAsText {
		return &timeText{p: p}
	}
	return p
}

type timePtrCodec struct{}

func (timePtrCodec) Bind(f *dialect.Features, v *time.Time) (any, error) {
	if v == nil {
		return nil, nil
	}
	return timeCodec{}.Bind(f, *v)
}

func (timePtrCodec) Dest(f *dialect.Features, p **time.Time) any {
	if f.TimeAsText {
		return &timeText{pp: p}
	}
	return p
}

type nullTimeCodec struct{}

func (nullTimeCodec) Bind(f *dialect.Features, v sql.Null[time.Time]) (any, error) {
	if !v.Valid {
		return nil, nil
	}
	return timeCodec{}.Bind(f, v.V)
}

func (nullTimeCodec) Dest(f *dialect.Features, p *sql.Null[time.Time]) any {
	if f.TimeAsText {
		return &timeText{n: p}
	}
	return p
}

// nullOf returns the codec of sql.Null[V] built on inner, the codec of the
// expression whose values may be NULL (a column under MIN, MAX or a left
// join): a valid value is bound and scanned as inner does it. Where inner
// scans into the field itself, the driver fills the sql.Null directly.
func nullOf[V any](inner Codec[V]) Codec[sql.Null[V]] { return nullCodec[V]{inner} }

type nullCodec[V any] struct{ inner Codec[V] }

// innerNumeric reports whether the codec of the values is a NUMERIC's.
func (c nullCodec[V]) innerNumeric() bool {
	_, ok := c.inner.(interface{ sumScale() int })
	return ok
}

func (c nullCodec[V]) Bind(f *dialect.Features, v sql.Null[V]) (any, error) {
	if !v.Valid {
		return nil, nil
	}
	return c.inner.Bind(f, v.V)
}

func (c nullCodec[V]) Dest(f *dialect.Features, p *sql.Null[V]) any {
	d := c.inner.Dest(f, &p.V)
	if s, ok := d.(sql.Scanner); ok && d != any(&p.V) {
		return nullDest[V]{p: p, s: s}
	}
	return p
}

// nullDest scans NULL as an invalid sql.Null, and anything else through
// the scanner of the value's codec.
type nullDest[V any] struct {
	p *sql.Null[V]
	s sql.Scanner
}

// Scan implements sql.Scanner.
func (d nullDest[V]) Scan(src any) error {
	if src == nil {
		*d.p = sql.Null[V]{}
		return nil
	}
	d.p.Valid = true
	return d.s.Scan(src)
}

// timeText scans a timestamp stored as text into exactly one of p, pp or n.
type timeText struct {
	p  *time.Time
	pp **time.Time
	n  *sql.Null[time.Time]
}

// Scan implements sql.Scanner.
func (s *timeText) Scan(src any) error {
	var t time.Time
	switch v := src.(type) {
	case nil:
		switch {
		case s.pp != nil:
			*s.pp = nil
		case s.n != nil:
			*s.n = sql.Null[time.Time]{}
		default:
			return errorf("cannot store NULL in a time.Time; use *time.Time or sql.Null[time.Time]")
		}
		return nil
	case string:
		var err error
		if t, err = dialect.ParseTime(v); err != nil {
			return err
		}
	case []byte:
		var err error
		if t, err = dialect.ParseTime(string(v)); err != nil {
			return err
		}
	case time.Time:
		t = v.UTC()
	default:
		return errorf("cannot read %T as a timestamp", src)
	}
	t = t.Truncate(dialect.TimePrecision)
	switch {
	case s.pp != nil:
		*s.pp = &t
	case s.n != nil:
		*s.n = sql.Null[time.Time]{V: t, Valid: true}
	default:
		*s.p = t
	}
	return nil
}

// JSONCodec stores any Go value as JSON text: jsonb on PostgreSQL, TEXT on
// SQLite. A nil pointer, slice or map is stored as JSON null. A string
// holding invalid UTF-8, which encoding/json would silently replace with
// U+FFFD, is refused with dialect.ErrInvalidText on every dialect, and one
// holding a NUL byte where the dialect has StrictText (jsonb refuses it).
type JSONCodec[V any] struct{}

// Bind marshals v.
func (JSONCodec[V]) Bind(f *dialect.Features, v V) (any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, errs.Errorf("query: marshal JSON: %w", err)
	}
	// encoding/json writes an invalid byte as the escape \ufffd, and a
	// valid U+FFFD as itself.
	if hasEscape(data, "ufffd") || f.StrictText && hasEscape(data, "u0000") {
		return nil, dialect.ErrInvalidText
	}
	return string(data), nil
}

// hasEscape reports whether JSON text holds the escape \ followed by esc
// (such as u0000), not merely an escaped backslash followed by esc.
func hasEscape(data []byte, esc string) bool {
	for i := 0; i < len(data)-1; i++ {
		if data[i] != '\\' {
			continue
		}
		if bytes.HasPrefix(data[i+1:], []byte(esc)) {
			return true
		}
		i++ // skip the escaped character, such as a second backslash
	}
	return false
}

// Dest unmarshals the column into *p.
func (JSONCodec[V]) Dest(_ *dialect.Features, p *V) any { return jsonDest[V]{p} }

type jsonDest[V any] struct{ p *V }

// Scan implements sql.Scanner.
func (d jsonDest[V]) Scan(src any) error {
	var data []byte
	switch v := src.(type) {
	case nil:
		var zero V
		*d.p = zero
		return nil
	case string:
		data = []byte(v)
	case []byte:
		data = v
	default:
		// pgx may hand over the decoded value of a jsonb column.
		var err error
		if data, err = json.Marshal(v); err != nil {
			return errs.Errorf("query: read JSON: %w", err)
		}
	}
	if err := json.Unmarshal(data, d.p); err != nil {
		return errs.Errorf("query: unmarshal JSON: %w", err)
	}
	return nil
}

// errNaN refuses a NaN on a dialect that would store NULL instead.
var errNaN = errs.Errorf("%w: NaN, which this dialect stores as NULL", dialect.ErrNotStorable)
