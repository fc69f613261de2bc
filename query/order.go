package query

import (
	"database/sql"
	"strconv"

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

// AppendSQL appends the term.
func (o Order[T]) AppendSQL(b *Builder) {
	o.e.AppendSQL(b)
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
func (a Agg[V]) AppendSQL(b *Builder) {
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
