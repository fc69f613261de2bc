package query

import (
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"math"
	"strconv"
)

// errNoJSON reports that an IN list holds a value that one JSON parameter
// cannot carry exactly, so the list travels one value per parameter.
var errNoJSON = errors.New("query: value has no exact JSON form")

// appendJSONList appends args to dst as one JSON array that SQLite's
// json_each reads back as exactly the values the driver would bind for
// them one by one. Each argument is first converted as database/sql
// converts a parameter for a driver without a converter of its own (such
// as modernc.org/sqlite): a driver.Valuer's Value, then
// driver.DefaultParameterConverter, which follows pointers, widens
// integers and floats, and turns named strings and byte slices into plain
// ones. Then, as the driver binds them:
//
//   - nil, a nil []byte and NaN (which SQLite binds as NULL) are null;
//   - an int64 is a JSON integer, a bool 1 or 0;
//   - a float64 is written in exponent form with the shortest digits that
//     read back as the same float, which SQLite parses exactly, so it stays
//     REAL; ±Inf is ±9e999, which SQLite reads as ±Inf;
//   - a string is a JSON string whose bytes pass unchanged, invalid UTF-8
//     included, with ", \ and control bytes escaped (NUL as \u0000);
//   - a []byte is its hex digits, which the statement turns back into a
//     BLOB with unhex; blobs reports that it did.
//
// It returns errNoJSON for a list that mixes byte strings with other
// values, and for values the driver formats by itself (a time.Time a
// Valuer returns); the error of a conversion that fails.
func appendJSONList(dst []byte, args []any) (out []byte, blobs bool, err error) {
	others := false
	dst = append(dst, '[')
	for i, a := range args {
		v, err := driver.DefaultParameterConverter.ConvertValue(a)
		if err != nil {
			return dst, false, err
		}
		if i > 0 {
			dst = append(dst, ',')
		}
		switch v := v.(type) {
		case nil:
			dst = append(dst, "null"...)
		case int64:
			dst, others = strconv.AppendInt(dst, v, 10), true
		case bool:
			dst, others = append(dst, "01"[boolInt(v)]), true
		case float64:
			dst, others = appendJSONFloat(dst, v), true
		case string:
			dst, others = appendJSONString(dst, v), true
		case []byte:
			if v == nil {
				dst = append(dst, "null"...)
				break
			}
			dst = append(dst, '"')
			dst = hex.AppendEncode(dst, v)
			dst, blobs = append(dst, '"'), true
		default:
			return dst, false, errNoJSON
		}
		if blobs && others {
			return dst, false, errNoJSON
		}
	}
	return append(dst, ']'), blobs, nil
}

func boolInt(v bool) int {
	if v {
		return 1
	}
	return 0
}

// appendJSONFloat appends f as SQLite reads it back: the exponent form
// keeps an integral float such as 1<<60 from being read as an INTEGER.
func appendJSONFloat(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "null"...)
	case math.IsInf(f, 1):
		return append(dst, "9e999"...)
	case math.IsInf(f, -1):
		return append(dst, "-9e999"...)
	}
	return strconv.AppendFloat(dst, f, 'e', -1, 64)
}

// appendJSONString appends s as a JSON string. Unlike encoding/json it
// leaves invalid UTF-8 as it is, so the bytes SQLite reads back are s's.
func appendJSONString(dst []byte, s string) []byte {
	const digits = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		default:
			dst = append(dst, '\\', 'u', '0', '0', digits[c>>4], digits[c&0xf])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
