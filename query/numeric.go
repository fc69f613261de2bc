package query

import (
	"database/sql"
	"database/sql/driver"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
)

// NumericCodec returns the codec of a NUMERIC column of type t holding
// values of type V, built on inner, V's own codec; mapped uses it for every
// column declared with mapped.Numeric. On a dialect whose NUMERIC columns
// are exact decimals (Features.NumericDigits is 0: PostgreSQL) it binds and
// scans as inner does.
//
// Where NUMERIC columns hold 64-bit numbers (SQLite, whose NUMERIC affinity
// stores INTEGER or REAL), the value inner binds (a driver.Valuer's decimal
// text, a string, an integer or a float) is bound as a number, so that it
// compares, sorts and aggregates as a number with the column's values,
// whoever wrote them. A decimal is first rounded to the column's scale,
// half away from zero, as PostgreSQL rounds what it stores (a float from
// its shortest text, as pgx sends it); then:
//
//   - a whole number that fits an int64 is bound as one, exactly;
//   - any other decimal of at most Features.NumericDigits (15) significant
//     digits, as the nearest float64, which reads back as the same decimal;
//   - a decimal of more digits, a NaN (which SQLite would store as NULL)
//     and an infinity for a column with a precision (which PostgreSQL
//     refuses too) are refused with dialect.ErrNotStorable, and text that
//     is no number with an error, before anything is sent.
//
// Values read back into a sql.Scanner (a decimal type), a string, or a
// pointer to either are handed over as the decimal text PostgreSQL's
// driver would hand them: plain notation with the column's scale ("9.00"),
// and zero as "0". A REAL is read as the decimal of 15 significant digits
// nearest it, as SQLite itself prints it, and rounded to the scale, so
// that sums of floats (0.1 + 0.2) read as PostgreSQL's exact sums do. A
// column declared without precision has no scale to keep: its values read
// back with as many digits as they need (PostgreSQL would keep the scale
// each value was written with). Other types (float64, int64) scan the
// stored number as the driver converts it. SQLite does not enforce the
// precision, as it does not enforce VARCHAR's size.
func NumericCodec[V any](inner Codec[V], t dialect.Type) Codec[V] {
	c := numericCodec[V]{inner: inner, scale: t.Scale}
	if t.Precision == 0 {
		c.scale = -1
	}
	rt := reflect.TypeFor[V]()
	c.nullable = rt.Kind() == reflect.Pointer
	if c.nullable && !reflect.PointerTo(rt).Implements(scannerType) {
		rt = rt.Elem()
	}
	c.text = reflect.PointerTo(rt).Implements(scannerType) || rt.Kind() == reflect.String
	return c
}

var scannerType = reflect.TypeFor[sql.Scanner]()

type numericCodec[V any] struct {
	inner    Codec[V]
	scale    int  // digits after the point; -1 when the column has no precision
	text     bool // V reads decimal text: a sql.Scanner, a string or a pointer to one
	nullable bool // V is a pointer
}

// sumScale is the scale a sum of the column's values is rounded to where
// NUMERIC columns hold floats (see Sum); 0 or less for none.
func (c numericCodec[V]) sumScale() int { return c.scale }

func (c numericCodec[V]) Bind(f *dialect.Features, v V) (any, error) {
	a, err := c.inner.Bind(f, v)
	if err != nil {
		return a, err
	}
	if f.NumericDigits == 0 {
		return c.scaledText(a), nil
	}
	x, err := driver.DefaultParameterConverter.ConvertValue(a)
	if err != nil {
		return nil, err
	}
	switch v := x.(type) {
	case float64:
		if err := c.checkFloat(v); err != nil || c.scale < 0 || math.IsInf(v, 0) {
			return v, err
		}
		// Rounded to the scale as pgx's shortest text of the float is.
		d, _ := parseDecimal(strconv.FormatFloat(v, 'g', -1, 64))
		return c.number(d, f.NumericDigits)
	case string:
		return c.decimalArg(v, f.NumericDigits)
	case []byte:
		return c.decimalArg(string(v), f.NumericDigits)
	}
	return x, nil
}

// scaledText returns a, bound for an exact NUMERIC column (PostgreSQL),
// with decimal text (a string, or a driver.Valuer's) written with the
// column's scale, rounded as PostgreSQL rounds what it stores: "1.5" in a
// NUMERIC(p,2) is bound as "1.50", the text the column reads back, so that
// a key given as "1.5" is one key with the stored "1.50". Anything else,
// and text that is no decimal, is left to the driver.
func (c numericCodec[V]) scaledText(a any) any {
	if c.scale < 0 {
		return a
	}
	s, ok := a.(string)
	if _, isValuer := a.(driver.Valuer); isValuer {
		// As database/sql calls it: a nil pointer is NULL.
		x, err := driver.DefaultParameterConverter.ConvertValue(a)
		s, ok = x.(string)
		ok = ok && err == nil
	}
	if !ok {
		return a
	}
	d, ok := parseDecimal(s)
	if !ok {
		return a
	}
	return d.round(c.scale).text(c.scale)
}

// checkFloat refuses a NaN, which SQLite would store as NULL, and an
// infinity for a column with a precision, which PostgreSQL refuses too.
func (c numericCodec[V]) checkFloat(v float64) error {
	switch {
	case math.IsNaN(v):
		return errNaN
	case math.IsInf(v, 0) && c.scale >= 0:
		return errs.Errorf("%w: an infinity, which a NUMERIC column with a precision cannot hold",
			dialect.ErrNotStorable)
	}
	return nil
}

// decimalArg converts decimal text to the number that stands for it.
func (c numericCodec[V]) decimalArg(s string, digits int) (any, error) {
	var special float64
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "nan":
		special = math.NaN()
	case "infinity", "+infinity", "inf", "+inf":
		special = math.Inf(1)
	case "-infinity", "-inf":
		special = math.Inf(-1)
	default:
		d, ok := parseDecimal(s)
		if !ok {
			return nil, errorf("text that is not a decimal number")
		}
		return c.number(d, digits)
	}
	return special, c.checkFloat(special)
}

// number returns d rounded to the column's scale, as PostgreSQL stores it:
// an int64 when it is a whole number that fits, else a float64 when it has
// at most digits significant digits.
func (c numericCodec[V]) number(d decimalText, digits int) (any, error) {
	if c.scale >= 0 {
		d = d.round(c.scale)
	}
	if n, ok := d.int64(); ok {
		return n, nil
	}
	if len(d.digits) > digits {
		return nil, errs.Errorf("%w: a decimal of %d significant digits; NUMERIC columns on this dialect hold "+
			"64-bit numbers, exact to %d significant digits or a whole number within 64 bits",
			dialect.ErrNotStorable, len(d.digits), digits)
	}
	f, ok := d.float64()
	if !ok {
		return nil, errs.Errorf("%w: a decimal beyond the range of a 64-bit float", dialect.ErrNotStorable)
	}
	return f, nil
}

func (c numericCodec[V]) Dest(f *dialect.Features, p *V) any {
	d := c.inner.Dest(f, p)
	if f.NumericDigits == 0 || !c.text || d != any(p) {
		return d
	}
	return numericDest[V]{p: p, scale: c.scale, digits: f.NumericDigits, nullable: c.nullable}
}

// numericDest scans a NUMERIC column's number as decimal text (see
// NumericCodec).
type numericDest[V any] struct {
	p        *V
	scale    int
	digits   int
	nullable bool
}

// Scan implements sql.Scanner.
func (d numericDest[V]) Scan(src any) error {
	if src != nil {
		src = numericText(src, d.scale, d.digits)
	}
	if s, ok := any(d.p).(sql.Scanner); ok {
		return s.Scan(src)
	}
	if src == nil {
		if !d.nullable {
			return errorf("cannot store NULL in a %T", *d.p)
		}
		var zero V
		*d.p = zero
		return nil
	}
	if p, ok := any(d.p).(*string); ok {
		if s, ok := src.(string); ok {
			*p = s
			return nil
		}
	}
	// A pointer or a named string type: database/sql's own conversion.
	var n sql.Null[V]
	if err := n.Scan(src); err != nil {
		return err
	}
	*d.p = n.V
	return nil
}

// numericText returns a NUMERIC column's value as decimal text with scale
// digits after the point (any number when scale is negative), leaving
// what is not a number as it is.
func numericText(src any, scale, digits int) any {
	var d decimalText
	switch v := src.(type) {
	case int64:
		d, _ = parseDecimal(strconv.FormatInt(v, 10))
	case float64:
		switch {
		case math.IsNaN(v):
			return "NaN"
		case math.IsInf(v, 1):
			return "Infinity"
		case math.IsInf(v, -1):
			return "-Infinity"
		}
		d = decimalOfFloat(v, digits)
	case string:
		var ok bool
		if d, ok = parseDecimal(v); !ok || scale < 0 {
			return src
		}
	case []byte:
		var ok bool
		if d, ok = parseDecimal(string(v)); !ok || scale < 0 {
			return src
		}
	default:
		return src
	}
	if scale >= 0 {
		d = d.round(scale)
	}
	return d.text(scale)
}

// decimalText is a decimal number read from text: value = ±0.digits ×
// 10^point, digits without leading or trailing zeros ("" for zero). It is
// what NUMERIC columns on SQLite are converted through, exactly, with no
// float in between.
type decimalText struct {
	neg    bool
	digits string
	point  int
}

// maxExponent bounds the exponents parseDecimal accepts; PostgreSQL's
// numeric holds no more than 131072 digits before the point.
const maxExponent = 1 << 20

// parseDecimal reads s as PostgreSQL's numeric input does: an optional sign,
// digits with at most one point, an optional exponent, and surrounding
// spaces. NaN and infinities are not decimals; the caller handles them.
func parseDecimal(s string) (decimalText, bool) {
	s = strings.TrimSpace(s)
	var d decimalText
	if s != "" && (s[0] == '+' || s[0] == '-') {
		d.neg, s = s[0] == '-', s[1:]
	}
	mant, exp, hasExp := strings.Cut(s, "e")
	if !hasExp {
		mant, exp, hasExp = strings.Cut(s, "E")
	}
	whole, frac, _ := strings.Cut(mant, ".")
	if whole+frac == "" || !allDigits(whole) || !allDigits(frac) {
		return d, false
	}
	e := 0
	if hasExp {
		n, err := strconv.Atoi(exp)
		if err != nil || n > maxExponent || n < -maxExponent {
			return d, false
		}
		e = n
	}
	digits := strings.TrimLeft(whole+frac, "0")
	d.point = len(whole) - (len(whole+frac) - len(digits)) + e
	d.digits = strings.TrimRight(digits, "0")
	if d.digits == "" {
		return decimalText{}, true
	}
	return d, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// int64 returns d as an int64 when it is a whole number that fits one.
func (d decimalText) int64() (int64, bool) {
	if d.digits == "" {
		return 0, true
	}
	if d.point < len(d.digits) || d.point > 19 {
		return 0, false
	}
	s := d.digits + strings.Repeat("0", d.point-len(d.digits))
	if d.neg {
		s = "-" + s
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// float64 returns the float64 nearest d, and false when d is beyond the
// range of a float64 (too large, or too small to be told from zero).
func (d decimalText) float64() (float64, bool) {
	if d.digits == "" {
		return 0, true
	}
	s := "0." + d.digits + "e" + strconv.Itoa(d.point)
	if d.neg {
		s = "-" + s
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil && f != 0 && !math.IsInf(f, 0)
}

// decimalOfFloat returns f as the decimal of digits significant digits
// nearest it, as SQLite's own REAL-to-text conversion reads a stored number
// back (f must be finite).
func decimalOfFloat(f float64, digits int) decimalText {
	d, _ := parseDecimal(strconv.FormatFloat(f, 'e', digits-1, 64))
	return d
}

// round returns d rounded to scale digits after the point, half away from
// zero, as PostgreSQL rounds a value to a numeric column's scale.
func (d decimalText) round(scale int) decimalText {
	keep := d.point + scale
	if keep >= len(d.digits) {
		return d
	}
	if keep < 0 {
		return decimalText{}
	}
	up := d.digits[keep] >= '5'
	digits := []byte(d.digits[:keep])
	for i := len(digits) - 1; up && i >= 0; i-- {
		if digits[i] == '9' {
			digits[i] = '0'
			continue
		}
		digits[i]++
		up = false
	}
	out := decimalText{neg: d.neg, point: d.point}
	if up { // every digit was a 9: 0.999 becomes 1.000
		digits = append([]byte{'1'}, digits...)
		out.point++
	}
	out.digits = strings.TrimRight(string(digits), "0")
	if out.digits == "" {
		return decimalText{}
	}
	return out
}

// text writes d in plain notation with scale digits after the point, or,
// for a negative scale, as many as d has. Zero is "0" whatever the scale,
// as pgx hands a numeric zero to a string or sql.Scanner.
func (d decimalText) text(scale int) string {
	if d.digits == "" {
		return "0"
	}
	if scale < 0 {
		scale = max(0, len(d.digits)-d.point)
	}
	var b strings.Builder
	if d.neg {
		b.WriteByte('-')
	}
	if d.point <= 0 {
		b.WriteByte('0')
	}
	for i := 0; i < d.point; i++ {
		b.WriteByte(d.digit(i))
	}
	if scale > 0 {
		b.WriteByte('.')
		for i := d.point; i < d.point+scale; i++ {
			b.WriteByte(d.digit(i))
		}
	}
	return b.String()
}

// digit returns the digit at position i counted from the first one after
// the point is placed at d.point: '0' outside d.digits.
func (d decimalText) digit(i int) byte {
	if i < 0 || i >= len(d.digits) {
		return '0'
	}
	return d.digits[i]
}
