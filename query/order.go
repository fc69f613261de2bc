package query

import (
	"database/sql"
	"database/sql/driver"
	"strconv"
	"strings"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
)

// Order is one ORDER BY term for queries of rows of type T.
type Order[T any] struct {
	e     Expr
	desc  bool
	nulls int8 // 0: the database's default, 1: first, 2: last
}

// Ordering is any Order, whatever its row type; projections accept it.
type Ordering interface {
	Expr
	isOrder()
}

func (Order[T]) isOrder() {}

// Asc orders by e, smallest first.
func Asc[T any](e Expr) Order[T] { return Order[T]{e: e} }

// Desc orders by e, largest first.
func Desc[T any](e Expr) Order[T] { return Order[T]{e: e, desc: true} }

// NullsFirst puts NULLs before every value.
func (o Order[T]) NullsFirst() Order[T] { o.nulls = 1; return o }

// NullsLast puts NULLs after every value.
func (o Order[T]) NullsLast() Order[T] { o.nulls = 2; return o }

// orderTerm is an ORDER BY term whose expression may be written by
// position (see Select.position).
type orderTerm interface {
	orderExpr() Expr
	appendWith(b *Builder, expr func())
}

func (o Order[T]) orderExpr() Expr { return o.e }

// AppendSQL appends the term.
func (o Order[T]) AppendSQL(b *Builder) { o.appendWith(b, func() { o.e.AppendSQL(b) }) }

// appendWith appends the term with its expression written by expr.
func (o Order[T]) appendWith(b *Builder, expr func()) {
	expr()
	if o.desc {
		b.WriteString(" DESC")
	}
	if o.nulls != 0 {
		if !b.f.NullsOrder {
			b.Fail(errorf("NULLS FIRST/LAST: %w", errUnsupported(b)))
			return
		}
		if o.nulls == 1 {
			b.WriteString(" NULLS FIRST")
		} else {
			b.WriteString(" NULLS LAST")
		}
	}
}

// Grouped is the row type of conditions and orderings on aggregates, as
// used in Having: they restrict groups, not the rows of any one table.
type Grouped struct{}

// Number is the constraint of Sum and Avg.
type Number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 |
		~float32 | ~float64
}

// Agg is an aggregate expression yielding V.
type Agg[V any] struct {
	fn       string
	arg      Expr
	distinct bool
	coalesce bool
	codec    Codec[V]
	decimal  bool // SumDecimal or AvgDecimal: arg must be a NUMERIC's
	scale    int  // arg's NUMERIC scale, -1 for none; set with decimal
}

// Decimal is the constraint of SumDecimal and AvgDecimal: a type that is
// its own driver.Valuer, such as a decimal type mapped to a NUMERIC column
// with mapped.Type(mapped.Numeric(p, s)).
type Decimal interface{ driver.Valuer }

// SumDecimal is Sum for a decimal type that is no Go number (a struct, say):
// the exact sum on PostgreSQL, read through v's codec, and on SQLite the
// float sum rounded to the column's scale, as Sum rounds. v must be a
// NUMERIC column or computed from one; anything else fails the statement,
// since its sum would not be a decimal.
func SumDecimal[V Decimal](v Value[V]) Agg[V] {
	scale, _ := numScale(v.Codec())
	return Agg[V]{fn: "SUM", arg: v, coalesce: true, codec: v.Codec(), decimal: true, scale: scale}
}

// AvgDecimal is the mean of v, a NUMERIC column with a scale (or computed
// from one), in v's own type, rounded to that scale half away from zero:
// ROUND(AVG(v), scale), exact on PostgreSQL, from a float mean on SQLite.
// It is NULL over no rows. A v of no NUMERIC column, or of one declared
// without a scale, fails the statement; Avg gives a float64 of any number.
func AvgDecimal[V Decimal](v Value[V]) Agg[sql.Null[V]] {
	scale, _ := numScale(v.Codec())
	return Agg[sql.Null[V]]{fn: "AVG", arg: v, codec: nullOf(v.Codec()), decimal: true, scale: scale}
}

// checkDecimal fails the statement when a SumDecimal or AvgDecimal reads
// no NUMERIC value.
func (a Agg[V]) checkDecimal(b *Builder) bool {
	var isNum bool
	switch c := any(a.codec).(type) {
	case interface{ sumScale() int }:
		isNum = true
	case interface{ innerNumeric() bool }:
		isNum = c.innerNumeric()
	}
	switch {
	case !isNum:
		b.Fail(errorf("%s of %s: not a NUMERIC value (map the column with mapped.Type(mapped.Numeric(p, s)))",
			strings.ToLower(a.fn)+"decimal", nameOf(a.arg)))
		return false
	case a.fn == "AVG" && a.scale < 0:
		b.Fail(errorf("avgdecimal of %s: a NUMERIC without a scale, to which the mean cannot be rounded", nameOf(a.arg)))
		return false
	}
	return true
}

// Count is COUNT(*).
func Count() Agg[int64] { return Agg[int64]{fn: "COUNT", codec: plainCodec[int64]{}} }

// CountOf is COUNT(e): the rows where e is not NULL.
func CountOf(e Expr) Agg[int64] { return Agg[int64]{fn: "COUNT", arg: e, codec: plainCodec[int64]{}} }

// CountDistinct is COUNT(DISTINCT e).
func CountDistinct(e Expr) Agg[int64] {
	return Agg[int64]{fn: "COUNT", arg: e, distinct: true, codec: plainCodec[int64]{}}
}

// Sum is the sum of v, 0 over no rows (COALESCE(SUM(v), 0)), bound and
// read through v's codec (so a decimal column's sum is compared and read as
// the column's values are). Where NUMERIC columns hold floats (SQLite,
// Features.NumericDigits), the sum of a column declared with a scale is
// rounded to it, ROUND(COALESCE(SUM(v), 0), scale), so that it is the
// exact decimal sum PostgreSQL gives (0.10 + 0.20 is 0.3, not
// 0.30000000000000004) as long as it has at most NumericDigits digits.
func Sum[V Number](v Value[V]) Agg[V] {
	return Agg[V]{fn: "SUM", arg: v, coalesce: true, codec: v.Codec()}
}

// Avg is the mean of v, NULL over no rows.
func Avg[V Number](v Value[V]) Agg[sql.Null[float64]] {
	return Agg[sql.Null[float64]]{fn: "AVG", arg: v, codec: plainCodec[sql.Null[float64]]{}}
}

// Min is the smallest v, NULL over no rows, bound and read through v's
// codec.
func Min[V any](v Value[V]) Agg[sql.Null[V]] {
	return Agg[sql.Null[V]]{fn: "MIN", arg: v, codec: nullOf(v.Codec())}
}

// Max is the largest v, NULL over no rows, bound and read through v's
// codec.
func Max[V any](v Value[V]) Agg[sql.Null[V]] {
	return Agg[sql.Null[V]]{fn: "MAX", arg: v, codec: nullOf(v.Codec())}
}

// Codec returns the codec of the aggregate's values.
func (a Agg[V]) Codec() Codec[V] { return a.codec }

// AppendSQL appends the aggregate call.
func (a Agg[V]) AppendSQL(b *Builder) { a.appendOver(b, nil) }

// appendOver appends the aggregate call, with over, when not nil, writing
// a window (OVER …) right after the call, inside the rounding and
// COALESCE that surround it. The argument may hold no window function.
func (a Agg[V]) appendOver(b *Builder, over func()) {
	if a.decimal && !a.checkDecimal(b) {
		return
	}
	defer b.restoreWindows(b.barWindows("an aggregate's argument"))
	if a.decimal && a.fn == "AVG" {
		b.WriteString("ROUND(AVG(")
		a.arg.AppendSQL(b)
		b.WriteByte(')')
		if over != nil {
			over()
		}
		b.WriteString(", " + strconv.Itoa(a.scale) + ")")
		return
	}
	scale := 0
	if s, ok := a.codec.(interface{ sumScale() int }); ok && a.fn == "SUM" && b.f.NumericDigits > 0 {
		scale = s.sumScale()
	}
	if scale > 0 {
		b.WriteString("ROUND(")
	}
	if a.coalesce {
		b.WriteString("COALESCE(")
	}
	b.WriteString(a.fn)
	b.WriteByte('(')
	switch {
	case a.arg == nil:
		b.WriteByte('*')
	case a.distinct:
		b.WriteString("DISTINCT ")
		a.arg.AppendSQL(b)
	default:
		a.arg.AppendSQL(b)
	}
	b.WriteByte(')')
	if over != nil {
		over()
	}
	if a.coalesce {
		b.WriteString(", 0)")
	}
	if scale > 0 {
		b.WriteString(", " + strconv.Itoa(scale) + ")")
	}
}

// Eq is the group condition a = v.
func (a Agg[V]) Eq(v V) Cond[Grouped] { return Compare[Grouped](a, Eq, v) }

// Ne is the group condition a <> v.
func (a Agg[V]) Ne(v V) Cond[Grouped] { return Compare[Grouped](a, Ne, v) }

// Lt is the group condition a < v.
func (a Agg[V]) Lt(v V) Cond[Grouped] { return Compare[Grouped](a, Lt, v) }

// Le is the group condition a <= v.
func (a Agg[V]) Le(v V) Cond[Grouped] { return Compare[Grouped](a, Le, v) }

// Gt is the group condition a > v.
func (a Agg[V]) Gt(v V) Cond[Grouped] { return Compare[Grouped](a, Gt, v) }

// Ge is the group condition a >= v.
func (a Agg[V]) Ge(v V) Cond[Grouped] { return Compare[Grouped](a, Ge, v) }

// Asc orders groups by the aggregate, smallest first.
func (a Agg[V]) Asc() Order[Grouped] { return Asc[Grouped](a) }

// Desc orders groups by the aggregate, largest first.
func (a Agg[V]) Desc() Order[Grouped] { return Desc[Grouped](a) }

func errUnsupported(b *Builder) error {
	return errs.Errorf("%w (%s)", dialect.ErrUnsupported, b.d.Name())
}
