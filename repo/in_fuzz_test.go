package repo_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// fuzzRow has a column of every type a value of an IN list may have.
type fuzzRow struct {
	ID    int64
	I8    int8
	I16   int16
	I32   int32
	I64   int64
	Int   int
	U8    uint8
	U16   uint16
	U32   uint32
	U64   uint64
	Uint  uint
	F32   float32
	F64   float64
	Bool  bool
	Str   string
	Bytes []byte
	Blob  blob
	At    time.Time
	Stamp valuerTime
	UID   uuidKey
	NInt  sql.Null[int64]
	PInt  *int64
	PStr  *string
}

type fuzzTable struct {
	*mapped.Table[fuzzRow]
	ID    mapped.Column[fuzzRow, int64]
	I8    mapped.Column[fuzzRow, int8]
	I16   mapped.Column[fuzzRow, int16]
	I32   mapped.Column[fuzzRow, int32]
	I64   mapped.Column[fuzzRow, int64]
	Int   mapped.Column[fuzzRow, int]
	U8    mapped.Column[fuzzRow, uint8]
	U16   mapped.Column[fuzzRow, uint16]
	U32   mapped.Column[fuzzRow, uint32]
	U64   mapped.Column[fuzzRow, uint64]
	Uint  mapped.Column[fuzzRow, uint]
	F32   mapped.Column[fuzzRow, float32]
	F64   mapped.Column[fuzzRow, float64]
	Bool  mapped.Column[fuzzRow, bool]
	Str   mapped.Column[fuzzRow, string]
	Bytes mapped.Column[fuzzRow, []byte]
	Blob  mapped.Column[fuzzRow, blob]
	At    mapped.Column[fuzzRow, time.Time]
	Stamp mapped.Column[fuzzRow, valuerTime]
	UID   mapped.Column[fuzzRow, uuidKey]
	NInt  mapped.Column[fuzzRow, sql.Null[int64]]
	PInt  mapped.Column[fuzzRow, *int64]
	PStr  mapped.Column[fuzzRow, *string]
}

var fuzzRows = mapped.Define("in_fuzz", func(t *mapped.Table[fuzzRow], r *fuzzRow) fuzzTable {
	return fuzzTable{Table: t,
		ID:    mapped.PrimaryKey(t, &r.ID),
		I8:    mapped.Col(t, &r.I8),
		I16:   mapped.Col(t, &r.I16),
		I32:   mapped.Col(t, &r.I32),
		I64:   mapped.Col(t, &r.I64),
		Int:   mapped.Col(t, &r.Int),
		U8:    mapped.Col(t, &r.U8),
		U16:   mapped.Col(t, &r.U16),
		U32:   mapped.Col(t, &r.U32),
		U64:   mapped.Col(t, &r.U64),
		Uint:  mapped.Col(t, &r.Uint),
		F32:   mapped.Col(t, &r.F32),
		F64:   mapped.Col(t, &r.F64),
		Bool:  mapped.Col(t, &r.Bool),
		Str:   mapped.Col(t, &r.Str),
		Bytes: mapped.Col(t, &r.Bytes),
		Blob:  mapped.Col(t, &r.Blob),
		At:    mapped.Col(t, &r.At),
		Stamp: mapped.Col(t, &r.Stamp, mapped.Type(dialect.Type{Kind: dialect.Time}), mapped.Name("valuerTime")),
		UID:   mapped.Col(t, &r.UID, mapped.Type(dialect.Type{Kind: dialect.String})),
		NInt:  mapped.Col(t, &r.NInt),
		PInt:  mapped.Col(t, &r.PInt),
		PStr:  mapped.Col(t, &r.PStr),
	}
})

// fuzzGen draws values from the fuzzer's bytes, then, once they run out,
// from a generator seeded by them, so that every input makes a full test
// and a mutated byte changes the values it was drawn for.
type fuzzGen struct {
	data []byte
	rnd  *rand.Rand
}

func newFuzzGen(data []byte) *fuzzGen {
	h := fnv.New64a()
	h.Write(data)
	return &fuzzGen{data: data, rnd: rand.New(rand.NewPCG(h.Sum64(), uint64(len(data))))}
}

func (g *fuzzGen) byte() byte {
	if len(g.data) > 0 {
		b := g.data[0]
		g.data = g.data[1:]
		return b
	}
	return byte(g.rnd.Uint32())
}

func (g *fuzzGen) uint64() uint64 {
	var u uint64
	for range 8 {
		u = u<<8 | uint64(g.byte())
	}
	return u
}

// int draws an integer of the given bits, often a small or an extreme one
// so that lists and rows share values.
func (g *fuzzGen) int(bits uint) int64 {
	lo, hi := int64(-1)<<(bits-1), int64(uint64(1)<<(bits-1)-1)
	switch s := g.byte(); {
	case s < 96:
		return int64(s%7) - 3
	case s < 128:
		return [...]int64{lo, hi, lo + 1, hi - 1}[s%4]
	default:
		return int64(g.uint64()<<(64-bits)) >> (64 - bits)
	}
}

// uint draws an unsigned integer of the given bits.
func (g *fuzzGen) uint(bits uint) uint64 {
	max := uint64(1)<<(bits-1)<<1 - 1
	switch s := g.byte(); {
	case s < 96:
		return uint64(s % 5)
	case s < 128:
		return [...]uint64{max, max - 1, max >> 1, max>>1 + 1}[s%4]
	default:
		return g.uint64() >> (64 - bits)
	}
}

var fuzzFloats = [...]float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1 << 60, 1<<53 + 2, math.Inf(1), math.Inf(-1),
	math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, 2.2250738585072014e-308, math.NaN(),
	math.MaxFloat32, math.SmallestNonzeroFloat32, 1e23, 123456789.123456789}

func (g *fuzzGen) float64() float64 {
	if s := g.byte(); s < 160 {
		return fuzzFloats[int(s)%len(fuzzFloats)]
	}
	return math.Float64frombits(g.uint64())
}

func (g *fuzzGen) float32() float32 {
	if s := g.byte(); s < 160 {
		return float32(fuzzFloats[int(s)%len(fuzzFloats)])
	}
	return math.Float32frombits(uint32(g.uint64()))
}

// bytes draws up to 7 arbitrary bytes, nil or empty included.
func (g *fuzzGen) bytes() []byte {
	n := int(g.byte() % 9)
	if n == 8 {
		return nil
	}
	b := make([]byte, n)
	for i := range b {
		if s := g.byte(); s < 128 {
			b[i] = "ab\x00\xff\xc3\xa9\\\"'%_\x01\x7f é"[s%16]
		} else {
			b[i] = g.byte()
		}
	}
	return b
}

// time draws a time between the years 1 and 9999, at nanoseconds, in one
// of three zones.
func (g *fuzzGen) time() time.Time {
	const first, last = -62135596800, 253402300799 // 0001-01-01 and 9999-12-31 23:59:59 UTC
	var sec int64
	switch s := g.byte(); {
	case s < 64:
		sec = 1700000000 + int64(s%4)
	case s < 80:
		sec = [...]int64{first, last, 0, -1}[s%4]
	default:
		sec = first + int64(g.uint64()%uint64(last-first+1))
	}
	zone := [...]*time.Location{time.UTC, zone, west}[g.byte()%3]
	return time.Unix(sec, int64(g.uint64()%1e9)).In(zone)
}

// facts are what the model needs to know of a database, found by asking
// it rather than by its name.
type facts struct {
	strict  bool // text must be valid UTF-8 without NUL
	nanNull bool // NaN binds as NULL (SQLite)
}

// model says how the database compares values of one column: which bind
// NULL, which are equal, which it refuses.
type model[V any] struct {
	null    func(facts, V) bool
	eq      func(a, b V) bool
	refuse  func(facts, V) bool
	refusal error // what the error of a refused value matches, if known
}

func plainModel[V comparable]() model[V] {
	return model[V]{eq: func(a, b V) bool { return a == b }}
}

func floatModel[V float32 | float64]() model[V] {
	return model[V]{
		// A NaN the database would bind as NULL is refused before sending.
		refuse:  func(f facts, v V) bool { return f.nanNull && v != v },
		refusal: dialect.ErrNotStorable,
		eq:      func(a, b V) bool { return a == b }, // NaN is never stored
	}
}

var stringModel = model[string]{
	eq:      func(a, b string) bool { return a == b },
	refuse:  func(f facts, v string) bool { return f.strict && dialect.CheckText(v) != nil },
	refusal: dialect.ErrInvalidText,
}

// uintModel is the model of uint64 and uint: genrepo refuses a value
// beyond int64, which no dialect's integer columns hold.
func uintModel[V uint64 | uint]() model[V] {
	return model[V]{
		eq:      func(a, b V) bool { return a == b },
		refuse:  func(_ facts, v V) bool { return uint64(v) > math.MaxInt64 },
		refusal: dialect.ErrNotStorable,
	}
}

// fuzzColumn checks In and NotIn on one column of the stored rows.
type fuzzColumn func(t *testing.T, env *fuzzEnv, g *fuzzGen, rows []*fuzzRow)

type fuzzEnv struct {
	db    dialect.DB
	facts facts
}

// column returns the check of col: a list of 501 to 756 values, each
// either the value of one of some of the stored rows (so values repeat)
// or a new one drawn by gen, compared with what Go computes under SQL's rules for NULL. Most
// lists hold no NULL (which leaves NOT IN true nowhere) and no value the
// database refuses (which fails the whole statement), so that comparisons
// are checked; the others keep them.
func column[V any](col mapped.Column[fuzzRow, V], gen func(*fuzzGen) V, m model[V]) fuzzColumn {
	return func(t *testing.T, env *fuzzEnv, g *fuzzGen, rows []*fuzzRow) {
		f := env.facts
		isNull := func(v V) bool { return m.null != nil && m.null(f, v) }
		isRefused := func(v V) bool { return m.refuse != nil && m.refuse(f, v) }
		allowNull, allowRefused := g.byte() < 48, g.byte() < 48
		// The list repeats the values of some of the rows, not all, so
		// that both In and NotIn have rows to find.
		var listed []*fuzzRow
		for _, r := range rows {
			if g.byte() < 128 {
				listed = append(listed, r)
			}
		}
		n := 501 + int(g.byte())
		vs := make([]V, 0, n)
		for tries := 0; len(vs) < n && tries < 50*n; tries++ {
			var v V
			if len(listed) > 0 && g.byte() < 128 {
				v = col.Get(listed[int(g.byte())%len(listed)])
			} else {
				v = gen(g)
			}
			if (allowNull || !isNull(v)) && (allowRefused || !isRefused(v)) {
				vs = append(vs, v)
			}
		}
		if len(vs) < n {
			t.Fatalf("%s: drew %d values of %d", col, len(vs), n)
		}
		refused := slices.ContainsFunc(vs, isRefused)
		for _, not := range []bool{false, true} {
			cond, op := col.In(vs...), "In"
			if not {
				cond, op = col.NotIn(vs...), "NotIn"
			}
			got, err := query.Select1(fuzzRows.ID).Where(cond).OrderBy(fuzzRows.ID.Asc()).All(context.Background(), env.db)
			if refused {
				if err == nil || m.refusal != nil && !errors.Is(err, m.refusal) {
					t.Fatalf("%s %s of %d values, one the database cannot bind: got rows %v, %.300v; want an error matching %v",
						col, op, len(vs), got, err, m.refusal)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s %s of %d values: %.500v", col, op, len(vs), err)
			}
			if want := expectIn(env.facts, m, col, rows, vs, not); !slices.Equal(got, want) {
				t.Fatalf("%s %s of %d values: got rows %v, want %v", col, op, len(vs), got, want)
			}
		}
	}
}

// expectIn returns the keys of the rows where col IN vs (NOT IN, with
// not) is true under SQL's rules: NULL on either side is never equal, and
// a NULL in the list makes NOT IN unknown for every value not in it.
func expectIn[V any](f facts, m model[V], col mapped.Column[fuzzRow, V], rows []*fuzzRow, vs []V, not bool) []int64 {
	isNull := func(v V) bool { return m.null != nil && m.null(f, v) }
	listNull := slices.ContainsFunc(vs, isNull)
	var keys []int64
	for _, r := range rows {
		v := col.Get(r)
		if isNull(v) {
			continue
		}
		found := slices.ContainsFunc(vs, func(w V) bool { return !isNull(w) && m.eq(v, w) })
		if found && !not || !found && not && !listNull {
			keys = append(keys, r.ID)
		}
	}
	return keys
}

// storable returns r changed where the database could not store it: text
// made valid where it must be, no NaN, no uint64 beyond int64, no nil
// named byte slice (which binds NULL, in a NOT NULL column).
func storableRow(f facts, r *fuzzRow) *fuzzRow {
	text := func(s string) string {
		if f.strict {
			return strings.ReplaceAll(strings.ToValidUTF8(s, "?"), "\x00", "0")
		}
		return s
	}
	r.Str = text(r.Str)
	if r.PStr != nil {
		r.PStr = ptr(text(*r.PStr))
	}
	if r.F32 != r.F32 {
		r.F32 = 0
	}
	if r.F64 != r.F64 {
		r.F64 = 0
	}
	r.U64 &= math.MaxInt64
	r.Uint &= math.MaxInt64
	if r.Blob == nil {
		r.Blob = blob{}
	}
	return r
}

func newFuzzRow(g *fuzzGen, id int64) *fuzzRow {
	r := &fuzzRow{ID: id,
		I8: int8(g.int(8)), I16: int16(g.int(16)), I32: int32(g.int(32)), I64: g.int(64), Int: int(g.int(64)),
		U8: uint8(g.uint(8)), U16: uint16(g.uint(16)), U32: uint32(g.uint(32)), U64: g.uint(64), Uint: uint(g.uint(64)),
		F32: g.float32(), F64: g.float64(), Bool: g.byte()&1 == 1,
		Str: string(g.bytes()), Bytes: g.bytes(), Blob: blob(g.bytes()),
		At: g.time(), Stamp: fuzzStamp(g), UID: newUUID(g.byte()%3, int(g.byte()%8)),
	}
	if g.byte() < 200 {
		r.NInt = sql.Null[int64]{V: g.int(64), Valid: true}
	}
	if g.byte() < 200 {
		r.PInt = ptr(g.int(64))
	}
	if g.byte() < 200 {
		r.PStr = ptr(string(g.bytes()))
	}
	return r
}

// fuzzStamp draws a time a driver.Valuer hands over as it is: UTC at
// microseconds, which both drivers keep.
func fuzzStamp(g *fuzzGen) valuerTime {
	return valuerTime{g.time().UTC().Truncate(time.Microsecond)}
}

func nullIntModel() model[sql.Null[int64]] {
	return model[sql.Null[int64]]{
		null: func(_ facts, v sql.Null[int64]) bool { return !v.Valid },
		eq:   func(a, b sql.Null[int64]) bool { return a.V == b.V },
	}
}

func ptrModel[V comparable](of model[V]) model[*V] {
	return model[*V]{
		null:    func(_ facts, v *V) bool { return v == nil },
		eq:      func(a, b *V) bool { return *a == *b },
		refuse:  func(f facts, v *V) bool { return v != nil && of.refuse != nil && of.refuse(f, *v) },
		refusal: of.refusal,
	}
}

var fuzzColumns = []fuzzColumn{
	column(fuzzRows.I8, func(g *fuzzGen) int8 { return int8(g.int(8)) }, plainModel[int8]()),
	column(fuzzRows.I16, func(g *fuzzGen) int16 { return int16(g.int(16)) }, plainModel[int16]()),
	column(fuzzRows.I32, func(g *fuzzGen) int32 { return int32(g.int(32)) }, plainModel[int32]()),
	column(fuzzRows.I64, func(g *fuzzGen) int64 { return g.int(64) }, plainModel[int64]()),
	column(fuzzRows.Int, func(g *fuzzGen) int { return int(g.int(64)) }, plainModel[int]()),
	column(fuzzRows.U8, func(g *fuzzGen) uint8 { return uint8(g.uint(8)) }, plainModel[uint8]()),
	column(fuzzRows.U16, func(g *fuzzGen) uint16 { return uint16(g.uint(16)) }, plainModel[uint16]()),
	column(fuzzRows.U32, func(g *fuzzGen) uint32 { return uint32(g.uint(32)) }, plainModel[uint32]()),
	column(fuzzRows.U64, func(g *fuzzGen) uint64 { return g.uint(64) }, uintModel[uint64]()),
	column(fuzzRows.Uint, func(g *fuzzGen) uint { return uint(g.uint(64)) }, uintModel[uint]()),
	column(fuzzRows.F32, (*fuzzGen).float32, floatModel[float32]()),
	column(fuzzRows.F64, (*fuzzGen).float64, floatModel[float64]()),
	column(fuzzRows.Bool, func(g *fuzzGen) bool { return g.byte()&1 == 1 }, plainModel[bool]()),
	column(fuzzRows.Str, func(g *fuzzGen) string { return string(g.bytes()) }, stringModel),
	column(fuzzRows.Bytes, (*fuzzGen).bytes, model[[]byte]{eq: bytes.Equal}),
	column(fuzzRows.Blob, func(g *fuzzGen) blob { return blob(g.bytes()) },
		// A nil blob is empty bytes, as a nil []byte is, never NULL.
		model[blob]{eq: func(a, b blob) bool { return bytes.Equal(a, b) }}),
	column(fuzzRows.At, (*fuzzGen).time, model[time.Time]{eq: func(a, b time.Time) bool {
		return a.Truncate(dialect.TimePrecision).Equal(b.Truncate(dialect.TimePrecision))
	}}),
	column(fuzzRows.Stamp, fuzzStamp, model[valuerTime]{eq: func(a, b valuerTime) bool { return a.t.Equal(b.t) }}),
	column(fuzzRows.UID, func(g *fuzzGen) uuidKey { return newUUID(g.byte()%3, int(g.byte())) }, plainModel[uuidKey]()),
	column(fuzzRows.NInt, func(g *fuzzGen) sql.Null[int64] {
		return sql.Null[int64]{V: g.int(64), Valid: g.byte() < 240}
	}, nullIntModel()),
	column(fuzzRows.PInt, func(g *fuzzGen) *int64 {
		if g.byte() < 8 {
			return nil
		}
		return ptr(g.int(64))
	}, ptrModel(plainModel[int64]())),
	column(fuzzRows.PStr, func(g *fuzzGen) *string {
		if g.byte() < 8 {
			return nil
		}
		return ptr(string(g.bytes()))
	}, ptrModel(stringModel)),
}

// probeFacts asks db what the model needs to know.
func probeFacts(t testing.TB, db dialect.DB) facts {
	t.Helper()
	f := facts{strict: db.Dialect().Features().StrictText}
	ph := string(db.Dialect().AppendPlaceholder(nil, 1))
	rows, err := db.Query(context.Background(), "SELECT CASE WHEN CAST("+ph+" AS DOUBLE PRECISION) IS NULL THEN 1 ELSE 0 END", math.NaN())
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for rows.Next() {
		err = rows.Scan(&n)
	}
	if err := errors.Join(err, rows.Close()); err != nil {
		t.Fatal(err)
	}
	f.nanNull = n == 1
	return f
}

// fuzzGroup is how many columns one input checks: checking them all at
// once would make each input too slow under the fuzzer's instrumentation.
const fuzzGroup = 3

// FuzzLongIn stores rows drawn from the input and checks In and NotIn
// lists longer than 500 values, of every type a value may have, against
// what Go computes, on every dialect. Values the database cannot bind
// (text PostgreSQL cannot store, uint64 beyond int64) must be refused.
// The input's first byte picks the group of fuzzGroup columns it checks;
// the seed corpus covers every group.
func FuzzLongIn(f *testing.F) {
	envs := make([]*fuzzEnv, len(testdb.Dialects))
	for i, name := range testdb.Dialects {
		db := testdb.Open(f, name)
		create(f, db, fuzzRows.Table)
		envs[i] = &fuzzEnv{db: db, facts: probeFacts(f, db)}
	}
	groups := (len(fuzzColumns) + fuzzGroup - 1) / fuzzGroup
	seeds := [][]byte{{}, []byte("\x05\x00\x80\xff\x10\x7f"), bytes.Repeat([]byte{0x9f, 0x00, 0xff}, 40),
		[]byte("\x1f\xa0\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff")}
	for k := range groups {
		for _, seed := range seeds {
			f.Add(append([]byte{byte(k)}, seed...))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for i, env := range envs {
			g := newFuzzGen(data)
			k := int(g.byte()) % groups
			rows := make([]*fuzzRow, 1+g.byte()%24)
			for j := range rows {
				rows[j] = storableRow(env.facts, newFuzzRow(g, int64(j+1)))
			}
			ctx := context.Background()
			if _, err := env.db.Exec(ctx, `DELETE FROM "in_fuzz"`); err != nil {
				t.Fatal(err)
			}
			if err := repo.New(env.db, fuzzRows.Table).InsertMany(ctx, rows); err != nil {
				t.Fatalf("%s: insert: %v", testdb.Dialects[i], err)
			}
			for _, check := range fuzzColumns[k*fuzzGroup : min(k*fuzzGroup+fuzzGroup, len(fuzzColumns))] {
				check(t, env, g, rows)
			}
		}
	})
}
