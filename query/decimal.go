package query

import (
	"math"
	"strconv"
	"strings"
)

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
