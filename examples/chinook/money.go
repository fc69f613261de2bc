package main

import (
	"database/sql/driver"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Money is an exact amount in cents, stored as NUMERIC(10,2). It goes to
// the database as decimal text (which genrepo binds as a number on SQLite,
// whose NUMERIC holds numbers) and is read back from decimal text, so no
// float of its own ever holds a stored price. Being an integer type, it
// can be summed with query.Sum.
type Money int64

// ParseMoney reads a decimal such as "0.99" or "-12.5". Digits beyond the
// cents must be zeros: anything that would be rounded is an error.
func ParseMoney(s string) (Money, error) {
	text := s
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		if strings.Trim(frac[2:], "0") != "" {
			return 0, fmt.Errorf("money: %q has more than two decimals", text)
		}
		frac = frac[:2]
	}
	frac += strings.Repeat("0", 2-len(frac))
	if whole == "" || strings.ContainsAny(whole+frac, "+-") {
		return 0, fmt.Errorf("money: cannot read %q", text)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("money: cannot read %q", text)
	}
	c, err := strconv.ParseInt(frac, 10, 64)
	if err != nil || w > (math.MaxInt64-c)/100 {
		return 0, fmt.Errorf("money: cannot read %q", text)
	}
	m := Money(w*100 + c)
	if neg {
		m = -m
	}
	return m, nil
}

// String returns the amount with two decimals, such as "0.99".
func (m Money) String() string {
	sign, c := "", int64(m)
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d", sign, c/100, c%100)
}

// Value implements driver.Valuer: the decimal text.
func (m Money) Value() (driver.Value, error) { return m.String(), nil }

// Scan implements sql.Scanner. Stored prices, and genrepo's typed
// arithmetic on them, come back as decimal text (or as an integer for
// whole amounts). A float arrives only from raw SQL arithmetic on SQLite,
// which computes with floats. Such a float is taken
// as the whole number of cents it lies within a millionth of a cent of;
// any other float is an error, never silently rounded.
func (m *Money) Scan(src any) error {
	switch v := src.(type) {
	case string:
		x, err := ParseMoney(v)
		*m = x
		return err
	case []byte:
		x, err := ParseMoney(string(v))
		*m = x
		return err
	case int64:
		if v > math.MaxInt64/100 || v < math.MinInt64/100 {
			return fmt.Errorf("money: %d is out of range", v)
		}
		*m = Money(v * 100)
		return nil
	case float64:
		cents := math.Round(v * 100)
		if math.Abs(v*100-cents) > 1e-6 || math.Abs(cents) > 1<<53 {
			return fmt.Errorf("money: %v is not a whole number of cents", v)
		}
		*m = Money(cents)
		return nil
	}
	return fmt.Errorf("money: cannot scan %T", src)
}

// UnmarshalJSON reads a JSON number, such as 0.99, exactly.
func (m *Money) UnmarshalJSON(b []byte) error {
	x, err := ParseMoney(string(b))
	if err != nil {
		return err
	}
	*m = x
	return nil
}
