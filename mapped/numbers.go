package mapped

import "github.com/genrepo/genrepo/query"

// NumberColumn is a Column of numbers, with arithmetic that other columns
// do not offer: Artists.Name.Plus(1) does not compile. Each operation
// returns a query.Num, an expression of the column's type that can be
// selected, compared, grouped by, ordered by, summed, computed further and
// assigned:
//
//	Tracks.Seconds.Times(1000).Gt(300000)                          // a Cond[Track]
//	query.Sum(query.TimesInt(Lines.UnitPrice, Lines.Quantity))     // revenue
//	repo.UpdateWhere(ctx, cond, Products.Stock.SetExpr(Products.Stock.Plus(100)))
//
// See query.Num for what the operators do on each dialect.
type NumberColumn[T any, V query.Number] struct {
	Column[T, V] // the typed column, whose methods NumberColumn also offers
}

// Number declares a column of numbers (any Go integer or float type, or a
// type defined on one, such as a Money in cents mapped to a NUMERIC with
// Type), whose NumberColumn offers arithmetic.
func Number[T any, V query.Number](t *Table[T], field *V, opts ...Option) NumberColumn[T, V] {
	return NumberColumn[T, V]{newColumn(t, t.row, field, query.CodecFor[V](), opts, nil)}
}

// Plus is column + v, v bound as the column's values are.
func (c NumberColumn[T, V]) Plus(v V) query.Num[T, V] { return query.Plus(c.Column, c.bound(v)) }

// Minus is column - v.
func (c NumberColumn[T, V]) Minus(v V) query.Num[T, V] { return query.Minus(c.Column, c.bound(v)) }

// Times is column * v, v a value of the column's type and bound as its
// values are: for a Money in cents stored as NUMERIC(10,2), Times(300)
// multiplies by 3.00. To multiply by a count, use query.TimesInt.
func (c NumberColumn[T, V]) Times(v V) query.Num[T, V] { return query.Times(c.Column, c.bound(v)) }

// Div is column / v: truncated toward zero for integers; see query.Num
// for division by zero.
func (c NumberColumn[T, V]) Div(v V) query.Num[T, V] { return query.Div(c.Column, c.bound(v)) }

// Neg is -column.
func (c NumberColumn[T, V]) Neg() query.Num[T, V] { return query.Neg(c.Column) }

// bound returns v as an expression, which the operation binds through
// the column's codec.
func (c NumberColumn[T, V]) bound(v V) query.Value[V] { return query.Val(v) }
