package query_test

import (
	"database/sql"
	"database/sql/driver"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/query"
)

// code is a named string, converted by database/sql through reflection.
type code string

// blob is a named byte slice.
type blob []byte

// upper is a driver.Valuer that hands its text over in upper case.
type upper string

func (u upper) Value() (driver.Value, error) {
	b := []byte(u)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b), nil
}

// longList is how many times inSQL repeats a list, so that it is long
// enough to be written as JSON on SQLite (over 500 values).
const longList = 501

// inSQL renders "x" IN (vs, repeated longList times) on SQLite and returns
// what follows "x" IN, and the arguments.
func inSQL[V any](t *testing.T, vs ...V) (string, []any) {
	t.Helper()
	long := make([]V, 0, longList*len(vs))
	for range longList {
		long = append(long, vs...)
	}
	vs = long
	sql, args, err := query.Render(sqlite.Dialect(), query.Select1(Tracks.ID).Where(query.In[Track](query.RawValue[V](`"x"`), vs)))
	if err != nil {
		t.Fatal(err)
	}
	const prefix = `SELECT "id" FROM "track" WHERE "x" IN `
	if len(sql) < len(prefix) || sql[:len(prefix)] != prefix {
		t.Fatalf("SQL = %s, want it to start %s", sql, prefix)
	}
	return sql[len(prefix):], args
}

// TestInJSON checks the JSON parameter of SQLite's IN lists: each value
// converted as database/sql converts a parameter, then written so that
// json_each reads back what the driver would have bound.
func TestInJSON(t *testing.T) {
	const scalars, blobs = "(SELECT +value FROM json_each(?))", "(SELECT unhex(value) FROM json_each(?))"
	i5, s := int64(5), "s"
	cases := []struct {
		name     string
		sql, arg string
		got      func(t *testing.T) (string, []any)
	}{
		{"ints", scalars, `[1,-2,9223372036854775807,-9223372036854775808]`,
			func(t *testing.T) (string, []any) { return inSQL(t, 1, -2, math.MaxInt64, math.MinInt64) }},
		{"small ints", scalars, `[-128,255]`,
			func(t *testing.T) (string, []any) { return inSQL[any](t, int8(-128), uint8(255)) }},
		{"bools as SQLite binds them", scalars, `[1,0]`,
			func(t *testing.T) (string, []any) { return inSQL(t, true, false) }},
		{"floats exact and REAL", scalars, `[1.152921504606847e+18,5e-01,-0e+00,5e-324,1.7976931348623157e+308]`,
			func(t *testing.T) (string, []any) {
				return inSQL(t, 1<<60, 0.5, math.Copysign(0, -1), math.SmallestNonzeroFloat64, math.MaxFloat64)
			}},
		{"infinities", scalars, `[9e999,-9e999]`,
			func(t *testing.T) (string, []any) { return inSQL(t, math.Inf(1), math.Inf(-1)) }},
		{"float32 widened as the driver widens it", scalars, `[1.0000000149011612e-01,1.5e+00]`,
			func(t *testing.T) (string, []any) { return inSQL[float32](t, 0.1, 1.5) }},
		{"strings byte for byte", scalars, "[\"a\\\"b\\\\c\",\"\\u0000\\u001f\x7f\xff\xc3\",\"\"]",
			func(t *testing.T) (string, []any) { return inSQL(t, `a"b\c`, "\x00\x1f\x7f\xff\xc3", "") }},
		{"named strings", scalars, `["x","y"]`,
			func(t *testing.T) (string, []any) { return inSQL[code](t, "x", "y") }},
		{"valuers", scalars, `["AB","C"]`,
			func(t *testing.T) (string, []any) { return inSQL[upper](t, "ab", "c") }},
		{"sql.Null", scalars, `[null,3]`,
			func(t *testing.T) (string, []any) {
				return inSQL(t, sql.Null[int64]{}, sql.Null[int64]{V: 3, Valid: true})
			}},
		{"pointers", scalars, `[null,5,"s"]`,
			func(t *testing.T) (string, []any) { return inSQL[any](t, (*int64)(nil), &i5, &s) }},
		{"bytes", blobs, `["dead",""]`,
			func(t *testing.T) (string, []any) { return inSQL(t, []byte{0xde, 0xad}, nil) }},
		{"named bytes, nil as empty as for []byte", blobs, `["00ff",""]`,
			func(t *testing.T) (string, []any) { return inSQL(t, blob{0, 0xff}, nil) }},
		{"times as their column stores them", scalars, `["2024-03-01 11:30:00.123456","2024-03-01 11:30:00.123456"]`,
			func(t *testing.T) (string, []any) { return inSQL(t, when, when) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sql, args := c.got(t)
			want := "[" + strings.Repeat(c.arg[1:len(c.arg)-1]+",", longList)
			want = want[:len(want)-1] + "]"
			if sql != c.sql || len(args) != 1 || args[0] != want {
				t.Errorf("got IN %s with %.200q\nwant IN %s with %.200q", sql, args, c.sql, want)
			}
		})
	}
}

// TestInPlaceholders checks the lists that one JSON parameter cannot
// carry exactly on SQLite, which are bound one value per parameter: a
// time.Time that the driver formats by itself, byte strings beside other
// values.
func TestInPlaceholders(t *testing.T) {
	at := time.Unix(0, 0)
	cases := []struct {
		name string
		vs   []any
	}{
		{"time.Time", []any{at, at}},
		{"bytes beside text", []any{[]byte("a"), "a"}},
		{"text beside bytes", []any{"a", blob("a")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sql, args := inSQL(t, c.vs...)
			n := len(c.vs) * longList
			if want := "(?" + strings.Repeat(", ?", n-1) + ")"; sql != want || len(args) != n {
				t.Errorf("got IN %.100s with %d arguments, want %d placeholders", sql, len(args), n)
			}
		})
	}
}
