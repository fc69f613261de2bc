package repo_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

// edgeDoc is the JSON column's value.
type edgeDoc struct {
	Title string
	Tags  []string
}

// edge has a column of every type genrepo maps, in every form.
type edge struct {
	ID     int64
	Bool   bool
	I8     int8
	I16    int16
	I32    int32
	I64    int64
	Int    int
	U8     uint8
	U16    uint16
	U32    uint32
	U64    uint64
	Uint   uint
	F32    float32
	F64    float64
	Str    string
	Bytes  []byte
	At     time.Time
	PI64   *int64
	PF64   *float64
	PStr   *string
	PAt    *time.Time
	PBytes *[]byte
	NI64   sql.Null[int64]
	NF64   sql.Null[float64]
	NStr   sql.Null[string]
	NAt    sql.Null[time.Time]
	NBool  sql.Null[bool]
	NBytes sql.Null[[]byte]
	Doc    edgeDoc
	Price  decimal
	PPrice *decimal
	Amount string
}

var edges = mapped.Define("edge", func(t *mapped.Table[edge], e *edge) *mapped.Table[edge] {
	mapped.PrimaryKey(t, &e.ID)
	mapped.Col(t, &e.Bool, mapped.Name("b"))
	mapped.Col(t, &e.I8)
	mapped.Col(t, &e.I16)
	mapped.Col(t, &e.I32)
	mapped.Col(t, &e.I64)
	mapped.Col(t, &e.Int)
	mapped.Col(t, &e.U8)
	mapped.Col(t, &e.U16)
	mapped.Col(t, &e.U32)
	mapped.Col(t, &e.U64)
	mapped.Col(t, &e.Uint)
	mapped.Col(t, &e.F32)
	mapped.Col(t, &e.F64)
	mapped.Text(t, &e.Str)
	mapped.Col(t, &e.Bytes)
	mapped.Col(t, &e.At)
	mapped.Col(t, &e.PI64, mapped.Name("p_i64"))
	mapped.Col(t, &e.PF64, mapped.Name("p_f64"))
	mapped.Text(t, &e.PStr)
	mapped.Col(t, &e.PAt)
	mapped.Col(t, &e.PBytes)
	mapped.Col(t, &e.NI64, mapped.Name("n_i64"))
	mapped.Col(t, &e.NF64, mapped.Name("n_f64"))
	mapped.Text(t, &e.NStr)
	mapped.Col(t, &e.NAt)
	mapped.Col(t, &e.NBool)
	mapped.Col(t, &e.NBytes)
	mapped.JSON(t, &e.Doc)
	mapped.Col(t, &e.Price, mapped.Type(mapped.Numeric(20, 2)))
	mapped.Col(t, &e.PPrice, mapped.Type(mapped.Numeric(20, 2)))
	mapped.Col(t, &e.Amount, mapped.Type(mapped.Numeric(30, 6)))
	return t
})

// edgeInput is one fuzz input: the values every column of a row is built
// from.
type edgeInput struct {
	b        bool
	i        int64
	u        uint64
	f        float64
	g        float32
	s        string
	bs       []byte
	sec      int64
	nsec     int64
	zone     int16 // minutes east of UTC
	cents    int64
	mant     int64 // the amount is mant × 10^exp
	exp      int8
	style    uint8 // how the amount is written
	nullMask uint16
}

// FuzzRoundTrip inserts a row with a column of every supported type, built
// from the fuzz input, on SQLite and on PostgreSQL, and reads it back. A
// value the dialect cannot store must be refused, as documented, with
// nothing written; anything else must read back as written, up to these
// documented normalisations:
//
//   - times: truncated to microseconds, in UTC; outside the dialect's range
//     (years 0001-9999 on SQLite, 4714 BC-294276 on PostgreSQL) refused
//     with dialect.ErrNotStorable;
//   - NaN: refused on SQLite (dialect.ErrNotStorable), kept on PostgreSQL;
//     -0 may read back as 0;
//   - text with a NUL byte or invalid UTF-8: refused on PostgreSQL
//     (dialect.ErrInvalidText), kept on SQLite; in the JSON column, text
//     reads back as encoding/json round-trips it (invalid UTF-8 replaced);
//   - uint64 and uint above the largest int64: refused by the drivers;
//   - decimals: read back with the column's scale, rounded half away from
//     zero, zero as "0"; on SQLite refused (dialect.ErrNotStorable) beyond
//     15 significant digits unless a whole number within 64 bits; on
//     PostgreSQL refused beyond the column's precision;
//   - a nil []byte reads back as empty or nil.
//
// Run it longer with go test ./repo -run '^$' -fuzz FuzzRoundTrip.
func FuzzRoundTrip(f *testing.F) {
	for _, in := range edgeSeeds() {
		f.Add(in.b, in.i, in.u, in.f, in.g, in.s, in.bs, in.sec, in.nsec, in.zone, in.cents, in.mant, in.exp,
			in.style, in.nullMask)
	}
	ctx := context.Background()
	var dbs []dialect.DB
	for _, name := range testdb.Dialects {
		db := testdb.Open(f, name)
		if err := mapped.CreateAll(ctx, db, edges); err != nil {
			f.Fatalf("%s: CreateAll: %v", name, err)
		}
		dbs = append(dbs, db)
	}
	f.Fuzz(func(t *testing.T, b bool, i int64, u uint64, fl float64, g float32, s string, bs []byte,
		sec, nsec int64, zone int16, cents, mant int64, exp int8, style uint8, nullMask uint16) {
		in := edgeInput{b, i, u, fl, g, s, bs, sec, nsec, zone, cents, mant, exp, style, nullMask}
		for _, db := range dbs {
			roundTrip(t, db, in)
		}
	})
}

func edgeSeeds() []edgeInput {
	year := func(y int) int64 { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Unix() }
	return []edgeInput{
		{},
		{b: true, i: math.MaxInt64, u: math.MaxInt64, f: math.MaxFloat64, g: math.MaxFloat32, s: "héllo, 世界",
			bs: []byte{0, 1, 0xff}, sec: year(2024) + 12345, nsec: 123456789, zone: 330, cents: 123456789,
			mant: 99, exp: -2, nullMask: 0x5555},
		{i: math.MinInt64, u: math.MaxUint64, f: math.Inf(-1), g: float32(math.Inf(1)), s: "a\x00b",
			sec: year(9999) + 365*86400 - 1, nsec: 999999999, zone: -720, cents: math.MinInt64 + 1,
			mant: math.MinInt64, exp: -40, style: 7, nullMask: 0xaaaa},
		{f: math.NaN(), g: float32(math.NaN()), s: "\xff\xfe", sec: year(10000), cents: 1234567890123456789,
			mant: 1234567890123456789, exp: 5, style: 1},
		{f: math.Copysign(0, -1), g: math.SmallestNonzeroFloat32, s: strings.Repeat("x", 300), sec: year(0),
			cents: 100000000000000001, mant: 5, exp: -7, style: 2},
		{f: math.SmallestNonzeroFloat64, sec: year(-4713) - 86400*40, cents: -5, mant: -15, exp: -7, style: 4},
		{sec: time.Date(294276, 12, 31, 23, 59, 59, 0, time.UTC).Unix(), nsec: 999999999, mant: 123456789012345,
			exp: 9, style: 3},
		{sec: time.Date(800000, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), mant: 1, exp: 40},
		{sec: math.MaxInt64, nsec: math.MaxInt64, zone: math.MaxInt16, mant: 1234567890123456, exp: -6},
		{u: 1 << 63, s: "\U0010ffff\u2028", bs: []byte{}, mant: 999999999999999999, exp: -12, style: 6},
	}
}

// edgeRow builds the row for in.
func edgeRow(in edgeInput) *edge {
	loc := time.FixedZone("", int(in.zone)%(18*60)*60)
	at := time.Unix(in.sec, in.nsec%1e9).In(loc)
	null := func(bit uint) bool { return in.nullMask&(1<<bit) != 0 }
	e := &edge{
		Bool: in.b, I8: int8(in.i), I16: int16(in.i), I32: int32(in.i), I64: in.i, Int: int(in.i),
		U8: uint8(in.u), U16: uint16(in.u), U32: uint32(in.u), U64: in.u, Uint: uint(in.u),
		F32: in.g, F64: in.f, Str: in.s, Bytes: in.bs, At: at,
		NI64: nullOf(in.i, !null(5)), NF64: nullOf(in.f, !null(6)), NStr: nullOf(in.s, !null(7)),
		NAt: nullOf(at, !null(8)), NBool: nullOf(in.b, !null(9)), NBytes: nullOf(in.bs, !null(11)),
		Doc:    edgeDoc{Title: in.s, Tags: []string{in.s}},
		Price:  decimal{max(in.cents, math.MinInt64+1)}, // the test type cannot print MinInt64
		Amount: amountText(in.mant, int(in.exp)%41, in.style),
	}
	if !null(0) {
		e.PI64 = &in.i
	}
	if !null(1) {
		e.PF64 = &in.f
	}
	if !null(2) {
		e.PStr = &in.s
	}
	if !null(3) {
		e.PAt = &at
	}
	if !null(4) {
		e.PBytes = &in.bs
	}
	if !null(10) {
		p := e.Price
		e.PPrice = &p
	}
	return e
}

// nullOf returns v as a sql.Null, the zero one when not valid.
func nullOf[V any](v V, valid bool) sql.Null[V] {
	if !valid {
		return sql.Null[V]{}
	}
	return sql.Null[V]{V: v, Valid: true}
}

// amountText writes mant × 10^exp as decimal text, in one of the forms
// PostgreSQL and genrepo both read: exponent notation, or plain with a
// sign, leading zeros or trailing zeros as style says.
func amountText(mant int64, exp int, style uint8) string {
	digits := new(big.Int).Abs(big.NewInt(mant)).String()
	sign := ""
	if mant < 0 {
		sign = "-"
	} else if style&2 != 0 {
		sign = "+"
	}
	if style&1 != 0 {
		return sign + digits + "e" + strconv.Itoa(exp)
	}
	var text string
	switch {
	case exp >= 0:
		text = digits + strings.Repeat("0", exp)
	case -exp < len(digits):
		text = digits[:len(digits)+exp] + "." + digits[len(digits)+exp:]
	default:
		text = "0." + strings.Repeat("0", -exp-len(digits)) + digits
	}
	if style&4 != 0 {
		text = "00" + text
	}
	if style&8 != 0 {
		if !strings.Contains(text, ".") {
			text += "."
		}
		text += "000"
	}
	return sign + text
}

// amountUnits returns mant × 10^exp in millionths, rounded half away from
// zero, as a NUMERIC(30,6) column holds it: the oracle for the amount
// column, computed with math/big rather than genrepo's own code.
func amountUnits(mant int64, exp int) *big.Int {
	n := big.NewInt(mant)
	if shift := exp + 6; shift >= 0 {
		return n.Mul(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(shift)), nil))
	} else {
		div := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-shift)), nil)
		q, r := new(big.Int).QuoRem(new(big.Int).Abs(n), div, new(big.Int))
		if r.Mul(r, big.NewInt(2)).Cmp(div) >= 0 {
			q.Add(q, big.NewInt(1))
		}
		if mant < 0 {
			q.Neg(q)
		}
		return q
	}
}

// unitsText writes millionths as NUMERIC(30,6) text: zero as "0".
func unitsText(n *big.Int) string {
	if n.Sign() == 0 {
		return "0"
	}
	digits := new(big.Int).Abs(n).String()
	if len(digits) <= 6 {
		digits = strings.Repeat("0", 7-len(digits)) + digits
	}
	sign := ""
	if n.Sign() < 0 {
		sign = "-"
	}
	return sign + digits[:len(digits)-6] + "." + digits[len(digits)-6:]
}

// sqliteKeeps reports whether SQLite's NUMERIC keeps a decimal exactly:
// a whole number within an int64, or at most 15 significant digits.
func sqliteKeeps(units *big.Int, scale int) bool {
	whole, frac := new(big.Int).QuoRem(units, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil), new(big.Int))
	if frac.Sign() == 0 && whole.IsInt64() {
		return true
	}
	return len(strings.TrimRight(new(big.Int).Abs(units).String(), "0")) <= 15
}

// refusal is what a dialect must answer to a row: the first column, in
// declaration order, whose value genrepo refuses, with its sentinel, or a
// driver's refusal (sentinel nil) when no column is refused before.
type refusal struct {
	column   string
	sentinel error
}

func expectRefusal(f *dialect.Features, e *edge, amountUnits *big.Int) *refusal {
	outside := func(t time.Time) bool {
		t = t.Truncate(time.Microsecond)
		return t.Before(f.MinTime) || t.After(f.MaxTime)
	}
	badText := func(s string) bool { return f.StrictText && dialect.CheckText(s) != nil }
	nan := func(x float64) bool { return f.NaNAsNull && math.IsNaN(x) }
	checks := []struct {
		column   string
		refused  bool
		sentinel error
	}{
		{"u64", e.U64 > math.MaxInt64, dialect.ErrNotStorable},
		{"uint", uint64(e.Uint) > math.MaxInt64, dialect.ErrNotStorable},
		{"f32", nan(float64(e.F32)), dialect.ErrNotStorable},
		{"f64", nan(e.F64), dialect.ErrNotStorable},
		{"str", badText(e.Str), dialect.ErrInvalidText},
		{"at", outside(e.At), dialect.ErrNotStorable},
		{"p_f64", e.PF64 != nil && nan(*e.PF64), dialect.ErrNotStorable},
		{"p_str", e.PStr != nil && badText(*e.PStr), dialect.ErrInvalidText},
		{"p_at", e.PAt != nil && outside(*e.PAt), dialect.ErrNotStorable},
		{"n_f64", e.NF64.Valid && nan(e.NF64.V), dialect.ErrNotStorable},
		{"n_str", e.NStr.Valid && badText(e.NStr.V), dialect.ErrInvalidText},
		{"n_at", e.NAt.Valid && outside(e.NAt.V), dialect.ErrNotStorable},
		// encoding/json would store invalid UTF-8 as U+FFFD: refused everywhere.
		{"doc", f.StrictText && strings.Contains(e.Doc.Title, "\x00") || !utf8.ValidString(e.Doc.Title),
			dialect.ErrInvalidText},
		{"price", f.NumericDigits > 0 && !sqliteKeeps(big.NewInt(e.Price.cents), 2), dialect.ErrNotStorable},
		{"p_price", f.NumericDigits > 0 && e.PPrice != nil && !sqliteKeeps(big.NewInt(e.PPrice.cents), 2),
			dialect.ErrNotStorable},
		{"amount", f.NumericDigits > 0 && !sqliteKeeps(amountUnits, 6), dialect.ErrNotStorable},
	}
	for _, c := range checks {
		if c.refused {
			return &refusal{c.column, c.sentinel}
		}
	}
	tooBig := new(big.Int).Exp(big.NewInt(10), big.NewInt(30), nil)
	switch {
	case f.NumericDigits == 0 && new(big.Int).Abs(amountUnits).Cmp(tooBig) >= 0:
		return &refusal{"amount", nil} // numeric field overflow
	}
	return nil
}

func roundTrip(t *testing.T, db dialect.DB, in edgeInput) {
	t.Helper()
	ctx := context.Background()
	f := db.Dialect().Features()
	name := db.Dialect().Name()
	r := repo.New(db, edges)
	row := edgeRow(in)
	units := amountUnits(in.mant, int(in.exp)%41)
	want := expectRefusal(f, row, units)
	before, err := r.Count(ctx)
	if err != nil {
		t.Fatalf("%s: Count: %v", name, err)
	}
	err = r.Insert(ctx, row)
	if want != nil {
		switch {
		case err == nil:
			t.Fatalf("%s: Insert of %+v succeeded; want %s refused", name, row, want.column)
		case want.sentinel != nil && (!errors.Is(err, want.sentinel) || !strings.Contains(err.Error(), "edge."+want.column)):
			t.Fatalf("%s: Insert: got %v; want %v naming edge.%s", name, err, want.sentinel, want.column)
		}
		if after, err := r.Count(ctx); err != nil || after != before {
			t.Fatalf("%s: %d rows after a refused insert, %v; want %d", name, after, err, before)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s: Insert of %+v: %v", name, row, err)
	}
	got, err := r.Get(ctx, row.ID)
	if err != nil {
		t.Fatalf("%s: Get: %v", name, err)
	}
	for _, p := range sameEdge(got, row, unitsText(units)) {
		t.Errorf("%s: %s", name, p)
	}
}

// sameEdge lists how got differs from the row written, after the
// documented normalisations.
func sameEdge(got, wrote *edge, amount string) []string {
	var out []string
	diff := func(field string, g, w any) {
		out = append(out, field+": got "+strconv.Quote(sprint(g))+", want "+strconv.Quote(sprint(w)))
	}
	sameTime := func(field string, g, w *time.Time) {
		if (g == nil) != (w == nil) {
			diff(field, g, w)
		} else if g != nil && (!g.Equal(w.Truncate(time.Microsecond)) || g.Location() != time.UTC) {
			diff(field, *g, w.Truncate(time.Microsecond))
		}
	}
	sameFloat := func(field string, g, w float64) {
		if !(g == w || math.IsNaN(g) && math.IsNaN(w)) {
			diff(field, g, w)
		}
	}
	g, w := *got, *wrote
	sameTime("At", &g.At, &w.At)
	sameTime("PAt", g.PAt, w.PAt)
	if g.NAt.Valid != w.NAt.Valid {
		diff("NAt", g.NAt, w.NAt)
	} else if w.NAt.Valid {
		sameTime("NAt", &g.NAt.V, &w.NAt.V)
	}
	sameFloat("F32", float64(g.F32), float64(w.F32))
	sameFloat("F64", g.F64, w.F64)
	if (g.PF64 == nil) != (w.PF64 == nil) {
		diff("PF64", g.PF64, w.PF64)
	} else if w.PF64 != nil {
		sameFloat("PF64", *g.PF64, *w.PF64)
	}
	if g.NF64.Valid != w.NF64.Valid {
		diff("NF64", g.NF64, w.NF64)
	} else if w.NF64.Valid {
		sameFloat("NF64", g.NF64.V, w.NF64.V)
	}
	if !bytes.Equal(g.Bytes, w.Bytes) {
		diff("Bytes", g.Bytes, w.Bytes)
	}
	if (g.PBytes == nil) != (w.PBytes == nil) || w.PBytes != nil && !bytes.Equal(*g.PBytes, *w.PBytes) {
		diff("PBytes", g.PBytes, w.PBytes)
	}
	if g.NBytes.Valid != w.NBytes.Valid || !bytes.Equal(g.NBytes.V, w.NBytes.V) {
		diff("NBytes", g.NBytes, w.NBytes)
	}
	var doc edgeDoc
	data, _ := json.Marshal(w.Doc)
	_ = json.Unmarshal(data, &doc)
	if !reflect.DeepEqual(g.Doc, doc) {
		diff("Doc", g.Doc, doc)
	}
	if g.Amount != amount {
		diff("Amount", g.Amount, amount)
	}
	// Everything else reads back as written.
	g.At, w.At, g.PAt, w.PAt, g.NAt, w.NAt = time.Time{}, time.Time{}, nil, nil, sql.Null[time.Time]{}, sql.Null[time.Time]{}
	g.F32, w.F32, g.F64, w.F64, g.PF64, w.PF64, g.NF64, w.NF64 = 0, 0, 0, 0, nil, nil, sql.Null[float64]{}, sql.Null[float64]{}
	g.Bytes, w.Bytes, g.PBytes, w.PBytes, g.Doc, w.Doc, g.Amount, w.Amount = nil, nil, nil, nil, edgeDoc{}, edgeDoc{}, "", ""
	g.NBytes, w.NBytes = sql.Null[[]byte]{}, sql.Null[[]byte]{}
	gv, wv := reflect.ValueOf(g), reflect.ValueOf(w)
	for i := range gv.NumField() {
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			diff(gv.Type().Field(i).Name, gv.Field(i).Interface(), wv.Field(i).Interface())
		}
	}
	return out
}

func sprint(v any) string {
	switch x := v.(type) {
	case *time.Time:
		if x == nil {
			return "nil"
		}
		return x.String()
	case *float64:
		if x == nil {
			return "nil"
		}
		return strconv.FormatFloat(*x, 'g', -1, 64)
	case *[]byte:
		if x == nil {
			return "nil"
		}
		return strconv.Quote(string(*x))
	}
	data, err := json.Marshal(v)
	if err != nil {
		return reflect.ValueOf(v).String()
	}
	return string(data)
}
