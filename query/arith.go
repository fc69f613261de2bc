package query

import (
	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
)

// Integer is the constraint of Mod and of TimesInt's multiplier: the
// integer types and the types defined on them.
type Integer interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

// Num is a Term of numbers, with arithmetic: what Plus, Minus, Times, Div,
// Mod, Neg and TimesInt return, and what mapped.NumberColumn's methods
// start from. The result of an operation has the type of its operands,
// which the compiler keeps equal: an int32 column plus an int64 does not
// compile, and neither does arithmetic on a string.
//
// The operators are SQL's, which agree on both dialects for integers:
// division truncates toward zero (-7 / 2 is -3) and Mod takes the sign of
// the dividend (-7 % 2 is -1), as Go's / and % do. An integer result
// beyond 64 bits is an error on PostgreSQL and a float on SQLite, which
// then cannot be read into an integer (an error too).
//
// Division by zero is an error on PostgreSQL; on SQLite it yields NULL,
// which reading into a non-nullable Go value refuses (an error, never a
// zero), but which a condition treats as SQL treats NULL (no row matches)
// and which an assignment stores in a nullable column.
//
// A NUMERIC column's arithmetic is exact on PostgreSQL. Where NUMERIC
// holds 64-bit numbers (SQLite, dialect.Features.NumericDigits) it is
// done in floating point and read back rounded to the result's scale, the
// one PostgreSQL gives it: the larger of the operands' scales for Plus and
// Minus, their sum for Times (a price times a price has four decimals),
// the left operand's for TimesInt, none for Div (which divides as floats
// there, never as integers); see NumericCodec. Mod of a NUMERIC value is
// refused on SQLite, whose % works on integers only.
type Num[T any, V Number] struct {
	Term[T, V] // the expression, with its comparisons and orderings
}

// arith is a binary arithmetic operation, written in parentheses.
type arith struct {
	op      string // "+", "-", "*", "/", "%"
	l, r    Expr
	numeric bool // the left operand is a NUMERIC column's (or computed from one)
}

func (x arith) AppendSQL(b *Builder) {
	b.WriteByte('(')
	switch {
	case x.numeric && b.f.NumericDigits > 0 && x.op == "/":
		// NUMERIC holds integers and floats here: 1.00 is stored as the
		// integer 1, which must not be divided as one.
		b.WriteString("CAST(")
		x.l.AppendSQL(b)
		b.WriteString(" AS " + b.d.ColumnType(dialect.Type{Kind: dialect.Float64}, false) + ")")
	case x.numeric && b.f.NumericDigits > 0 && x.op == "%":
		b.Fail(errs.Errorf("query: Mod of a NUMERIC value: %w: its %% works on integers only", errUnsupported(b)))
		return
	default:
		x.l.AppendSQL(b)
	}
	b.WriteString(" " + x.op + " ")
	x.r.AppendSQL(b)
	b.WriteByte(')')
}

func (x arith) sources(add func(Source)) {
	walkSources(x.l, add)
	walkSources(x.r, add)
}

// neg is a negation, written in parentheses.
type neg struct{ e Expr }

func (n neg) AppendSQL(b *Builder) {
	b.WriteString("(-")
	n.e.AppendSQL(b)
	b.WriteByte(')')
}

func (n neg) sources(add func(Source)) { walkSources(n.e, add) }

// numScale returns the scale of a NUMERIC codec (-1 for none), and false
// for any other codec.
func numScale[V any](c Codec[V]) (int, bool) {
	n, ok := c.(numericCodec[V])
	return n.scale, ok
}

// rescaled returns c, a NUMERIC codec, with another scale.
func rescaled[V any](c Codec[V], scale int) Codec[V] {
	n, ok := c.(numericCodec[V])
	if !ok {
		return c
	}
	n.scale = scale
	return n
}

// resultCodec returns the codec of l op r, given their codecs: l's, with
// the scale PostgreSQL gives the result when l is a NUMERIC's.
func resultCodec[V any](op string, l, r Codec[V]) Codec[V] {
	ls, ok := numScale(l)
	if !ok {
		return l
	}
	rs, rok := numScale(r)
	if !rok {
		rs = 0 // an integer, or a float PostgreSQL refuses to mix anyway
	}
	switch {
	case op == "/" || ls < 0 || rs < 0:
		return rescaled(l, -1)
	case op == "*":
		return rescaled(l, ls+rs)
	}
	return rescaled(l, max(ls, rs))
}

func binary[T any, V Number](op string, a Value[V], b Value[V]) Num[T, V] {
	_, numeric := numScale(a.Codec())
	codec := resultCodec(op, a.Codec(), b.Codec())
	return Num[T, V]{term[T](arith{op: op, l: a, r: besides(a, b), numeric: numeric}, codec)}
}

// Plus is a + b.
func Plus[T any, V Number](a Operand[T, V], b Value[V]) Num[T, V] { return binary[T]("+", a, b) }

// Minus is a - b.
func Minus[T any, V Number](a Operand[T, V], b Value[V]) Num[T, V] { return binary[T]("-", a, b) }

// Times is a * b.
func Times[T any, V Number](a Operand[T, V], b Value[V]) Num[T, V] { return binary[T]("*", a, b) }

// Div is a / b: for integers, truncated toward zero (see Num for division
// by zero).
func Div[T any, V Number](a Operand[T, V], b Value[V]) Num[T, V] { return binary[T]("/", a, b) }

// Mod is the remainder of a / b, with the sign of a, for integers only.
func Mod[T any, V Integer](a Operand[T, V], b Value[V]) Num[T, V] { return binary[T]("%", a, b) }

// Neg is -a.
func Neg[T any, V Number](a Operand[T, V]) Num[T, V] {
	return Num[T, V]{term[T](neg{a}, a.Codec())}
}

// TimesInt is a * n, an amount times a count, of a's type: a price times
// a quantity is a price, summed with Sum. The multiplier's integer type
// may differ from a's.
//
//	query.Sum(query.TimesInt(Lines.UnitPrice, Lines.Quantity)) // Agg[Money]
func TimesInt[T any, V Number, N Integer](a Operand[T, V], n Value[N]) Num[T, V] {
	_, numeric := numScale(a.Codec())
	return Num[T, V]{term[T](arith{op: "*", l: a, r: n, numeric: numeric}, a.Codec())}
}

// Plus is n + v, v bound as n's values are.
func (n Num[T, V]) Plus(v V) Num[T, V] { return binary[T]("+", n, n.bind(v)) }

// Minus is n - v.
func (n Num[T, V]) Minus(v V) Num[T, V] { return binary[T]("-", n, n.bind(v)) }

// Times is n * v.
func (n Num[T, V]) Times(v V) Num[T, V] { return binary[T]("*", n, n.bind(v)) }

// Div is n / v (see Num for division by zero).
func (n Num[T, V]) Div(v V) Num[T, V] { return binary[T]("/", n, n.bind(v)) }

// Neg is -n.
func (n Num[T, V]) Neg() Num[T, V] { return Neg(n) }

// bind returns v bound through n's codec.
func (n Num[T, V]) bind(v V) Value[V] { return param[V]{v: v, codec: n.Codec(), of: n} }
