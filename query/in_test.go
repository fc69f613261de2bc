package query_test

import (
	"database/sql"
	"database/sql/driver"
	"math"
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

// inSQL renders "x" IN (vs) on SQLite and returns what follows "x" IN,
// and the arguments.
func inSQL[V any](t *testing.T, vs ...V) (string, []any) {
	t.Helper()
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
		{"infinities, and NaN as the NULL SQLite binds", scalars, `[9e999,-9e999,null]`,
			func(t *testing.T) (string, []any) { return inSQL(t, math.Inf(1), math.Inf(-1), math.NaN()) }},
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
		{"named bytes, nil as NULL", blobs, `["00ff",null]`,
			func(t *testing.T) (string, []any) { return inSQL(t, blob{0, 0xff}, nil) }},
		{"times as their column stores them", scalars, `["2024-03-01T11:30:00.123456000Z","2024-03-01T11:30:00.123456000Z"]`,
			func(t *testing.T) (string, []any) { return inSQL(t, when, when) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sql, args := c.got(t)
			if sql != c.sql || len(args) != 1 || args[0] != c.arg {
				t.Errorf("got IN %s with %q\nwant IN %s with %q", sql, args, c.sql, c.arg)
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
			if sql != "(?, ?)" || len(args) != 2 {
				t.Errorf("got IN %s with %d arguments, want IN (?, ?) with 2", sql, len(args))
			}
		})
	}
}
