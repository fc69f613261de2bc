package query_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/postgres"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/query"
)

// TestNumericBind checks the numbers a NUMERIC(10,2) column's values are
// bound as on SQLite, and the text PostgreSQL gets them as: written with
// the column's scale, as it stores them.
func TestNumericBind(t *testing.T) {
	t.Parallel()
	c := query.NumericCodec(query.CodecFor[string](), dialect.Type{Kind: dialect.Numeric, Precision: 10, Scale: 2})
	free := query.NumericCodec(query.CodecFor[string](), dialect.Type{Kind: dialect.Numeric})
	lite := sqlite.Dialect().Features()
	for _, tc := range []struct {
		in       string
		want     any    // int64, float64 or an error matched with errors.Is (nil: any error)
		freeWant any    // without precision, when it differs
		pg       string // bound for PostgreSQL, when it differs from in
	}{
		{in: "9.00", want: int64(9)},
		{in: "-12", pg: "-12.00", want: int64(-12)},
		{in: "0.1", pg: "0.10", want: 0.1},
		{in: " 0.10 ", pg: "0.10", want: 0.1},
		{in: ".5", pg: "0.50", want: 0.5},
		{in: "5.", pg: "5.00", want: int64(5)},
		{in: "1.005", pg: "1.01", want: 1.01, freeWant: 1.005},
		{in: "-1.005", pg: "-1.01", want: -1.01, freeWant: -1.005},
		{in: "9.995", pg: "10.00", want: int64(10), freeWant: 9.995},
		{in: "0.004", pg: "0", want: int64(0), freeWant: 0.004},
		{in: "-0.004", pg: "0", want: int64(0), freeWant: -0.004},
		{in: "1.5e3", pg: "1500.00", want: int64(1500)},
		{in: "15E-1", pg: "1.50", want: 1.5},
		{in: "9223372036854775807", pg: "9223372036854775807.00", want: int64(math.MaxInt64)},
		{in: "-9223372036854775808", pg: "-9223372036854775808.00", want: int64(math.MinInt64)},
		{in: "9223372036854775808", pg: "9223372036854775808.00", want: dialect.ErrNotStorable},
		{in: "1e20", pg: "100000000000000000000.00", want: 1e20},
		{in: "123456789012.34", want: 123456789012.34},
		{in: "1234567890123.45", want: 1234567890123.45}, // 15 significant digits
		{in: "123456789012345.6", pg: "123456789012345.60", want: dialect.ErrNotStorable, freeWant: dialect.ErrNotStorable},
		{in: "123456789012.3456", pg: "123456789012.35", want: 123456789012.35, freeWant: dialect.ErrNotStorable}, // 16, 14 once rounded
		{in: "1e400", pg: "1" + strings.Repeat("0", 400) + ".00", want: dialect.ErrNotStorable, freeWant: dialect.ErrNotStorable},
		{in: "NaN", want: dialect.ErrNotStorable, freeWant: dialect.ErrNotStorable},
		{in: "Infinity", want: dialect.ErrNotStorable, freeWant: math.Inf(1)},
		{in: "-inf", want: dialect.ErrNotStorable, freeWant: math.Inf(-1)},
		{in: "abc", want: nil, freeWant: nil},
		{in: "", want: nil, freeWant: nil},
		{in: "1.2.3", want: nil, freeWant: nil},
		{in: "1e", want: nil, freeWant: nil},
		{in: "1e99999999999", want: nil, freeWant: nil},
	} {
		for _, side := range []struct {
			name  string
			codec query.Codec[string]
			want  any
		}{{"NUMERIC(10,2)", c, tc.want}, {"NUMERIC", free, tc.freeWant}} {
			want := side.want
			if side.name == "NUMERIC" && want == nil && tc.freeWant == nil && tc.want != nil {
				want = tc.want
			}
			got, err := side.codec.Bind(lite, tc.in)
			switch w := want.(type) {
			case nil:
				if err == nil {
					t.Errorf("%s: Bind(%q) = %#v, want an error", side.name, tc.in, got)
				}
			case error:
				if !errors.Is(err, w) {
					t.Errorf("%s: Bind(%q) = %#v, %v; want %v", side.name, tc.in, got, err, w)
				}
			default:
				if err != nil || got != w {
					t.Errorf("%s: Bind(%q) = %#v, %v; want %#v", side.name, tc.in, got, err, w)
				}
			}
		}
		pg := tc.pg
		if pg == "" {
			pg = tc.in
		}
		if got, err := c.Bind(postgres.Dialect().Features(), tc.in); err != nil || got != pg {
			t.Errorf("PostgreSQL: Bind(%q) = %#v, %v; want %q", tc.in, got, err, pg)
		}
	}
}

// TestNumericScan checks the decimal text a NUMERIC(10,2) column's stored
// numbers are read back as on SQLite.
func TestNumericScan(t *testing.T) {
	t.Parallel()
	c := query.NumericCodec(query.CodecFor[string](), dialect.Type{Kind: dialect.Numeric, Precision: 10, Scale: 2})
	free := query.NumericCodec(query.CodecFor[string](), dialect.Type{Kind: dialect.Numeric})
	lite := sqlite.Dialect().Features()
	for _, tc := range []struct {
		src        any
		want, free string
	}{
		{int64(9), "9.00", "9"},
		{int64(-12), "-12.00", "-12"},
		{int64(0), "0", "0"},
		{0.1, "0.10", "0.1"},
		{0.1 + 0.2, "0.30", "0.3"},
		{1.98 + 8.91, "10.89", "10.89"},
		{-5.5, "-5.50", "-5.5"},
		{1.005, "1.01", "1.005"}, // stored by another program, rounded as PostgreSQL would
		{0.004, "0", "0.004"},
		{1e20, "100000000000000000000.00", "100000000000000000000"},
		{1.2345678901234567e+19, "12345678901234600000.00", "12345678901234600000"},
		{math.Inf(1), "Infinity", "Infinity"},
		{"9.5", "9.50", "9.5"},
		{"abc", "abc", "abc"},
		{[]byte("0.125"), "0.13", "0.125"},
	} {
		for _, side := range []struct {
			name  string
			codec query.Codec[string]
			want  string
		}{{"NUMERIC(10,2)", c, tc.want}, {"NUMERIC", free, tc.free}} {
			var got string
			dest := side.codec.Dest(lite, &got)
			s, ok := dest.(interface{ Scan(any) error })
			if !ok {
				t.Fatalf("%s: Dest is a %T, not a sql.Scanner", side.name, dest)
			}
			if err := s.Scan(tc.src); err != nil || got != side.want {
				t.Errorf("%s: Scan(%#v) = %q, %v; want %q", side.name, tc.src, got, err, side.want)
			}
		}
	}
}
