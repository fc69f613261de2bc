package repo_test

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// decimal is an exact amount in hundredths, stored as NUMERIC(12,2). It
// implements sql.Scanner and driver.Valuer through its text form, so no
// float ever holds it.
type decimal struct{ cents int64 }

func parseDecimal(s string) (decimal, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 || whole == "" {
		return decimal{}, fmt.Errorf("decimal: cannot read %q exactly", s)
	}
	frac += strings.Repeat("0", 2-len(frac))
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return decimal{}, fmt.Errorf("decimal: %w", err)
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return decimal{}, fmt.Errorf("decimal: %w", err)
	}
	c := w*100 + f
	if neg {
		c = -c
	}
	return decimal{c}, nil
}

func (d decimal) String() string {
	sign, c := "", d.cents
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d", sign, c/100, c%100)
}

// Value implements driver.Valuer.
func (d decimal) Value() (driver.Value, error) { return d.String(), nil }

// Scan implements sql.Scanner. A float is refused: reading one would mean
// the value had already lost its exactness.
func (d *decimal) Scan(src any) error {
	var err error
	switch v := src.(type) {
	case string:
		*d, err = parseDecimal(v)
	case []byte:
		*d, err = parseDecimal(string(v))
	case int64:
		*d = decimal{v * 100}
	default:
		err = fmt.Errorf("decimal: cannot scan %T", src)
	}
	return err
}

type doc struct {
	Title string
	Tags  []string
	Attrs map[string]int
	Inner *doc `json:",omitempty"`
}

// sample has a column of every type genrepo maps.
type sample struct {
	ID    int64
	Bool  bool
	I8    int8
	I16   int16
	I32   int32
	I64   int64
	U8    uint8
	U16   uint16
	U32   uint32
	F32   float32
	F64   float64
	Str   string
	Bytes []byte
	At    time.Time
	PStr  *string
	PInt  *int64
	PTime *time.Time
	NInt  sql.Null[int64]
	NStr  sql.Null[string]
	NTime sql.Null[time.Time]
	Doc   doc
	Price decimal
}

type sampleTable struct {
	*mapped.Table[sample]
	ID    mapped.Column[sample, int64]
	At    mapped.Column[sample, time.Time]
	PTime mapped.Column[sample, *time.Time]
	Bytes mapped.Column[sample, []byte]
	Price mapped.Column[sample, decimal]
	NTime mapped.Column[sample, sql.Null[time.Time]]
}

var samples = mapped.Define("sample", func(t *mapped.Table[sample], s *sample) sampleTable {
	st := sampleTable{Table: t, ID: mapped.PrimaryKey(t, &s.ID)}
	mapped.Col(t, &s.Bool, mapped.Name("b"))
	mapped.Col(t, &s.I8)
	mapped.Col(t, &s.I16)
	mapped.Col(t, &s.I32)
	mapped.Col(t, &s.I64)
	mapped.Col(t, &s.U8)
	mapped.Col(t, &s.U16)
	mapped.Col(t, &s.U32)
	mapped.Col(t, &s.F32)
	mapped.Col(t, &s.F64)
	mapped.Text(t, &s.Str)
	st.Bytes = mapped.Col(t, &s.Bytes)
	st.At = mapped.Col(t, &s.At)
	mapped.Text(t, &s.PStr)
	mapped.Col(t, &s.PInt)
	st.PTime = mapped.Col(t, &s.PTime)
	mapped.Col(t, &s.NInt)
	mapped.Text(t, &s.NStr)
	st.NTime = mapped.Col(t, &s.NTime)
	mapped.JSON(t, &s.Doc)
	st.Price = mapped.Col(t, &s.Price, mapped.Type(mapped.Numeric(12, 2)))
	return st
})

// A time in a zone east of UTC with nanoseconds, and its expected read-back.
var (
	zone    = time.FixedZone("UTC+05:30", 5*3600+30*60)
	west    = time.FixedZone("UTC-07:00", -7*3600)
	nanoAt  = time.Date(2024, 2, 29, 23, 59, 58, 123456789, zone)
	preUnix = time.Date(1969, 7, 20, 20, 17, 40, 999999999, west)
)

func fullSample() *sample {
	return &sample{
		Bool: true, I8: math.MinInt8, I16: math.MinInt16, I32: math.MinInt32, I64: math.MaxInt64,
		U8: math.MaxUint8, U16: math.MaxUint16, U32: math.MaxUint32,
		F32: 3.25, F64: math.Pi,
		Str:   `héllo, 世界 🎉 'quoted' "double" \back`,
		Bytes: []byte{0, 1, 2, 0xfe, 0xff, 0},
		At:    nanoAt,
		PStr:  ptr("pointer"), PInt: ptr(int64(math.MinInt64)), PTime: ptr(preUnix),
		NInt: sql.Null[int64]{V: -7, Valid: true}, NStr: sql.Null[string]{V: "", Valid: true},
		NTime: sql.Null[time.Time]{V: nanoAt.Add(time.Hour), Valid: true},
		Doc: doc{Title: "doc", Tags: []string{"a", "b", "c"}, Attrs: map[string]int{"x": 1, "y": -2},
			Inner: &doc{Title: "inner", Tags: []string{}}},
		Price: decimal{1234567891}, // 12345678.91
	}
}

// sameSample compares two samples, the times with Equal after truncating
// the wanted ones to the stored precision.
func sameSample(t testing.TB, name string, got, want *sample) {
	t.Helper()
	g, w := *got, *want
	trunc := func(x time.Time) time.Time { return x.Truncate(dialect.TimePrecision) }
	times := []struct {
		field     string
		got, want *time.Time
	}{
		{"At", &g.At, &w.At},
		{"PTime", g.PTime, w.PTime},
		{"NTime", &g.NTime.V, &w.NTime.V},
	}
	for _, tc := range times {
		switch {
		case (tc.got == nil) != (tc.want == nil):
			t.Errorf("%s: %s: got %v, want %v", name, tc.field, tc.got, tc.want)
		case tc.got != nil && !tc.got.Equal(trunc(*tc.want)):
			t.Errorf("%s: %s: got %v, want %v", name, tc.field, *tc.got, trunc(*tc.want))
		}
	}
	g.At, w.At, g.PTime, w.PTime, g.NTime.V, w.NTime.V = time.Time{}, time.Time{}, nil, nil, time.Time{}, time.Time{}
	// SQLite's driver reads an empty BLOB as a nil slice, PostgreSQL's as
	// an empty one; the content is what must match.
	if !bytes.Equal(g.Bytes, w.Bytes) {
		t.Errorf("%s: Bytes: got %#v, want %#v", name, g.Bytes, w.Bytes)
	}
	g.Bytes, w.Bytes = nil, nil
	gv, wv := reflect.ValueOf(g), reflect.ValueOf(w)
	for i := range gv.NumField() {
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			f := gv.Type().Field(i).Name
			t.Errorf("%s: %s: got %#v, want %#v", name, f, gv.Field(i).Interface(), wv.Field(i).Interface())
		}
	}
}

func TestTypesRoundTrip(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, samples.Table)
		r := repo.New(db, samples.Table)

		empty := &sample{Bytes: []byte{}, Doc: doc{Tags: []string{}, Attrs: map[string]int{}}}
		other := fullSample()
		other.Bool, other.I64, other.U32, other.F64 = false, math.MinInt64, 0, -1e-300
		other.Price = decimal{-5} // -0.05
		other.Doc = doc{Title: "other", Attrs: map[string]int{}}
		other.PInt, other.NInt = ptr(int64(0)), sql.Null[int64]{V: 0, Valid: true}
		cases := []struct {
			name string
			row  *sample
		}{
			{"every column set", fullSample()},
			{"zero values and NULLs", empty},
			{"other values", other},
		}
		for _, tc := range cases {
			want := *tc.row
			if err := r.Insert(ctx, tc.row); err != nil {
				t.Errorf("%s: Insert: %v", tc.name, err)
				continue
			}
			want.ID = tc.row.ID
			got, err := r.Get(ctx, tc.row.ID)
			if err != nil {
				t.Errorf("%s: Get: %v", tc.name, err)
				continue
			}
			sameSample(t, tc.name, got, &want)
		}

		// The decimal stays exact, and the instant survives a query on it.
		got, err := r.Where(samples.Price.Eq(decimal{1234567891})).One(ctx)
		if err != nil {
			t.Fatalf("Where price = 12345678.91: %v", err)
		}
		if got.Price.String() != "12345678.91" {
			t.Errorf("price: got %s, want 12345678.91", got.Price)
		}
		n, err := r.Where(samples.At.Eq(nanoAt)).Count(ctx)
		if err != nil || n != 2 {
			t.Errorf("Where at = %v (untruncated): got %d, %v; want 2", nanoAt, n, err)
		}
		n, err = r.Where(samples.At.Eq(nanoAt.In(time.UTC).Truncate(time.Microsecond))).Count(ctx)
		if err != nil || n != 2 {
			t.Errorf("Where at = the same instant in UTC: got %d, %v; want 2", n, err)
		}
		n, err = r.Where(samples.PTime.IsNull()).Count(ctx)
		if err != nil || n != 1 {
			t.Errorf("Where p_time IS NULL: got %d, %v; want 1", n, err)
		}
		n, err = r.Where(samples.NTime.Gt(sql.Null[time.Time]{V: nanoAt, Valid: true})).Count(ctx)
		if err != nil || n != 2 {
			t.Errorf("Where n_time > at: got %d, %v; want 2", n, err)
		}
	})
}

// TestZeroRow stores a row of zero values, nil slices and maps included,
// and writes it back unchanged after reading it.
func TestZeroRow(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, samples.Table)
		r := repo.New(db, samples.Table)
		row := &sample{}
		if err := r.Insert(ctx, row); err != nil {
			t.Fatalf("Insert of a zero row: %v", err)
		}
		got, err := r.Get(ctx, row.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := *row
		sameSample(t, "zero row", got, &want)
		if !got.At.IsZero() {
			t.Errorf("zero time: got %v, want the zero time", got.At)
		}
		if err := r.Update(ctx, got); err != nil {
			t.Errorf("Update of the row as read back: %v", err)
		}
		got.Bytes = nil
		if err := r.Update(ctx, got, samples.Bytes); err != nil {
			t.Errorf("Update of bytes to nil: %v", err)
		}
	})
}

type event struct {
	ID   int64
	Name string
	At   time.Time
}

type eventTable struct {
	*mapped.Table[event]
	ID   mapped.Column[event, int64]
	Name mapped.TextColumn[event, string]
	At   mapped.Column[event, time.Time]
}

var events = mapped.Define("event", func(t *mapped.Table[event], e *event) eventTable {
	return eventTable{t, mapped.PrimaryKey(t, &e.ID), mapped.Text(t, &e.Name), mapped.Col(t, &e.At)}
})

// TestTimeOrder checks that times given in different zones sort and
// compare as instants. On SQLite they are stored as UTC text, so this
// holds only because every zone is converted to UTC before it is written.
func TestTimeOrder(t *testing.T) {
	t.Parallel()
	tokyo := time.FixedZone("UTC+09:00", 9*3600)
	newYork := time.FixedZone("UTC-05:00", -5*3600)
	rows := []*event{
		{Name: "10:00Z", At: time.Date(2024, 1, 1, 5, 0, 0, 0, newYork)},
		{Name: "01:00Z", At: time.Date(2024, 1, 1, 10, 0, 0, 0, tokyo)},
		{Name: "03:00Z", At: time.Date(2024, 1, 1, 3, 0, 0, 0, time.UTC)},
		{Name: "22:30Z the day before", At: time.Date(2024, 1, 1, 4, 0, 0, 0, zone)},
		{Name: "03:00:00.000001Z", At: time.Date(2024, 1, 1, 12, 0, 0, 1000, tokyo)},
		{Name: "1999", At: time.Date(1999, 12, 31, 23, 0, 0, 0, newYork)},
	}
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, events.Table)
		r := repo.New(db, events.Table)
		for _, e := range rows {
			insertAll(t, r, &event{Name: e.Name, At: e.At})
		}
		names := func(es []*event) []string {
			out := make([]string, len(es))
			for i, e := range es {
				out[i] = e.Name
			}
			return out
		}
		asc, err := r.OrderBy(events.At.Asc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"1999", "22:30Z the day before", "01:00Z", "03:00Z", "03:00:00.000001Z", "10:00Z"}
		if got := names(asc); !slices.Equal(got, want) {
			t.Errorf("OrderBy at: got %q, want %q", got, want)
		}
		desc, err := r.OrderBy(events.At.Desc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		slices.Reverse(want)
		if got := names(desc); !slices.Equal(got, want) {
			t.Errorf("OrderBy at desc: got %q, want %q", got, want)
		}
		// 02:00 in New York is 07:00Z.
		cut := time.Date(2023, 12, 31, 21, 0, 0, 0, newYork) // 2024-01-01 02:00Z
		after, err := r.Where(events.At.Gt(cut)).OrderBy(events.At.Asc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := names(after), []string{"03:00Z", "03:00:00.000001Z", "10:00Z"}; !slices.Equal(got, want) {
			t.Errorf("Where at > %v: got %q, want %q", cut, got, want)
		}
		between, err := r.Where(events.At.Between(
			time.Date(2024, 1, 1, 12, 0, 0, 0, tokyo),  // 03:00Z
			time.Date(2024, 1, 1, 0, 0, 0, 0, newYork), // 05:00Z
		)).OrderBy(events.At.Asc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := names(between), []string{"03:00Z", "03:00:00.000001Z"}; !slices.Equal(got, want) {
			t.Errorf("Where at between 03:00Z and 05:00Z: got %q, want %q", got, want)
		}
		// In compares instants too, in a short list and in a long one.
		ats := []time.Time{rows[1].At.In(newYork), rows[5].At.In(tokyo)}
		for i := range 600 {
			ats = append(ats, time.Date(2000, 1, 1, 0, 0, i, 0, time.UTC))
		}
		in, err := r.Where(events.At.In(ats[:2]...)).OrderBy(events.At.Asc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := names(in), []string{"1999", "01:00Z"}; !slices.Equal(got, want) {
			t.Errorf("Where at In (2 values): got %q, want %q", got, want)
		}
		in, err = r.Where(events.At.In(ats...)).OrderBy(events.At.Asc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := names(in), []string{"1999", "01:00Z"}; !slices.Equal(got, want) {
			t.Errorf("Where at In (%d values): got %q, want %q", len(ats), got, want)
		}
		// Min and Max read times back as instants.
		bounds, err := query.Select2(query.Min(events.At), query.Max(events.At)).All(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if len(bounds) != 1 || !bounds[0].V1.V.Equal(rows[5].At) || !bounds[0].V2.V.Equal(rows[0].At) {
			t.Errorf("Min, Max of at: got %+v, want %v and %v", bounds, rows[5].At, rows[0].At)
		}
	})
}
