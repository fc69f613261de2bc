package query

import (
	"database/sql"

	"github.com/genrepo/genrepo/dialect"
)

// Operand is an expression yielding values of type V that conditions on
// rows of type T can be built from: a column of T's table (whose Eq
// gives a Cond[T]), an aggregate (T is Grouped), or a Term computed from
// them. The functions of this package that compute new values (Plus,
// Lower, Year, Coalesce…) take an Operand, so that the Term they return
// knows both its value type and the rows its conditions are on:
//
//	query.Year(Invoices.Date).Eq(2010)                                  // a Cond[Invoice]
//	query.Minus(query.Sum(Tracks.Plays), query.Val[int64](100)).Gt(0)   // a Cond[Grouped], for Having
type Operand[T, V any] interface {
	Value[V]
	// Eq is the condition that the expression equals v.
	Eq(v V) Cond[T]
}

// Term is a computed expression yielding V whose conditions are on rows of
// T: what the functions of this package (Lower, Year, Coalesce, Cast…)
// return. Like a column, it can be selected, compared, grouped by,
// ordered by and assigned with a column's SetExpr. A Term is an immutable
// value, safe to share. Num adds arithmetic to Terms of numbers.
type Term[T, V any] struct {
	e     Expr
	codec Codec[V]
}

// term returns the Term of e, whose values go through codec.
func term[T, V any](e Expr, codec Codec[V]) Term[T, V] { return Term[T, V]{e: e, codec: codec} }

// AppendSQL appends the expression. The zero Term fails the statement.
func (t Term[T, V]) AppendSQL(b *Builder) {
	if t.e == nil {
		b.Fail(errorf("the zero Term is no expression"))
		return
	}
	t.e.AppendSQL(b)
}

// Codec returns the codec of the Term's values.
func (t Term[T, V]) Codec() Codec[V] {
	if t.codec == nil {
		return CodecFor[V]()
	}
	return t.codec
}

func (t Term[T, V]) sources(add func(Source)) { walkSources(t.e, add) }

// Eq is the condition t = v; a v that binds as NULL gives t IS NULL.
func (t Term[T, V]) Eq(v V) Cond[T] { return Compare[T](t, Eq, v) }

// Ne is the condition t <> v; a v that binds as NULL gives t IS NOT NULL.
func (t Term[T, V]) Ne(v V) Cond[T] { return Compare[T](t, Ne, v) }

// Lt is the condition t < v.
func (t Term[T, V]) Lt(v V) Cond[T] { return Compare[T](t, Lt, v) }

// Le is the condition t <= v.
func (t Term[T, V]) Le(v V) Cond[T] { return Compare[T](t, Le, v) }

// Gt is the condition t > v.
func (t Term[T, V]) Gt(v V) Cond[T] { return Compare[T](t, Gt, v) }

// Ge is the condition t >= v.
func (t Term[T, V]) Ge(v V) Cond[T] { return Compare[T](t, Ge, v) }

// Between is the condition lo <= t <= hi.
func (t Term[T, V]) Between(lo, hi V) Cond[T] { return Between[T](t, lo, hi) }

// In is the condition that t equals one of vs (see the function In).
func (t Term[T, V]) In(vs ...V) Cond[T] { return In[T](t, vs) }

// InQuery is the condition that t is among the values a subquery yields.
func (t Term[T, V]) InQuery(sub Subquery[V]) Cond[T] { return InQuery[T](t, sub) }

// IsNull is the condition that t is NULL.
func (t Term[T, V]) IsNull() Cond[T] { return IsNull[T](t) }

// IsNotNull is the condition that t is not NULL.
func (t Term[T, V]) IsNotNull() Cond[T] { return IsNotNull[T](t) }

// EqCol is the condition t = other, another expression of the same type.
func (t Term[T, V]) EqCol(other Value[V]) Cond[T] { return CompareWith[T](t, Eq, other) }

// NeCol is the condition t <> other.
func (t Term[T, V]) NeCol(other Value[V]) Cond[T] { return CompareWith[T](t, Ne, other) }

// LtCol is the condition t < other.
func (t Term[T, V]) LtCol(other Value[V]) Cond[T] { return CompareWith[T](t, Lt, other) }

// LeCol is the condition t <= other.
func (t Term[T, V]) LeCol(other Value[V]) Cond[T] { return CompareWith[T](t, Le, other) }

// GtCol is the condition t > other.
func (t Term[T, V]) GtCol(other Value[V]) Cond[T] { return CompareWith[T](t, Gt, other) }

// GeCol is the condition t >= other.
func (t Term[T, V]) GeCol(other Value[V]) Cond[T] { return CompareWith[T](t, Ge, other) }

// Asc orders by t, smallest first.
func (t Term[T, V]) Asc() Order[T] { return Asc[T](t) }

// Desc orders by t, largest first.
func (t Term[T, V]) Desc() Order[T] { return Desc[T](t) }

// Val is the value v as an expression of its own, bound as a parameter
// through V's codec and given V's SQL type with a CAST where the type
// follows from V (booleans, integers, floats, strings, times, bytes, and
// pointers or sql.Null of them), so that PostgreSQL knows it: for Case's
// results, a Coalesce's default, a selected constant. Beside an operand
// (in arithmetic, Coalesce, Concat, Greatest, Least) it is bound through
// the operand's codec instead, as a compared value is. A type with a
// Value method of its own (a decimal) gets no CAST, and PostgreSQL reads
// a CASE of such values alone as text: give the branches expressions
// (Cases.WhenExpr) or Cast the CASE.
func Val[V any](v V) Value[V] { return lit[V]{v: v} }

// lit is a value made by Val.
type lit[V any] struct{ v V }

func (l lit[V]) Codec() Codec[V] { return CodecFor[V]() }

func (l lit[V]) AppendSQL(b *Builder) {
	typ, ok := kindOf[V]()
	if !ok {
		param[V]{v: l.v, codec: CodecFor[V](), of: l}.AppendSQL(b)
		return
	}
	b.WriteString("CAST(")
	param[V]{v: l.v, codec: CodecFor[V](), of: l}.AppendSQL(b)
	b.WriteString(" AS " + b.d.ColumnType(typ, false) + ")")
}

// besides returns e, or, when e is a value made by Val, that value bound
// through the codec of the operand it stands beside.
func besides[V any](op Value[V], e Value[V]) Expr {
	if l, ok := e.(lit[V]); ok {
		return Bound(op, l.v)
	}
	return e
}

// Ptr views v, an expression that is never NULL, as yielding *V, so that
// it can be compared with a nullable column of the same base type:
//
//	Tracks.AlbumID.EqCol(query.Ptr(Albums.ID))                  // *int64 = int64
//	Tracks.AlbumID.InQuery(query.Select1(query.Ptr(Albums.ID)))
//
// The SQL is v's own.
func Ptr[V any](v Value[V]) Value[*V] { return ptrValue[V]{v} }

type ptrValue[V any] struct{ v Value[V] }

func (p ptrValue[V]) AppendSQL(b *Builder)     { p.v.AppendSQL(b) }
func (p ptrValue[V]) Codec() Codec[*V]         { return ptrCodec[V]{p.v.Codec()} }
func (p ptrValue[V]) sources(add func(Source)) { walkSources(p.v, add) }

// ptrCodec is the codec of *V built on inner, V's: nil binds NULL.
type ptrCodec[V any] struct{ inner Codec[V] }

func (c ptrCodec[V]) Bind(f *dialect.Features, v *V) (any, error) {
	if v == nil {
		return nil, nil
	}
	return c.inner.Bind(f, *v)
}

func (c ptrCodec[V]) Dest(f *dialect.Features, p **V) any {
	return ptrDest[V]{p: p, f: f, inner: c.inner}
}

// ptrDest scans NULL as nil and anything else through inner's destination
// for a new V.
type ptrDest[V any] struct {
	p     **V
	f     *dialect.Features
	inner Codec[V]
}

// Scan implements sql.Scanner.
func (d ptrDest[V]) Scan(src any) error {
	if src == nil {
		*d.p = nil
		return nil
	}
	v := new(V)
	var n sql.Null[V]
	dest := d.inner.Dest(d.f, v)
	if s, ok := dest.(sql.Scanner); ok {
		if err := s.Scan(src); err != nil {
			return err
		}
	} else if err := n.Scan(src); err != nil {
		return err
	} else {
		*v = n.V
	}
	*d.p = v
	return nil
}

// Deref views a, a nullable expression (a *V column), as yielding V, so
// that it can be compared with a NOT NULL expression of the base type or
// selected into a V:
//
//	query.Deref(Tracks.AlbumID).EqCol(Albums.ID)                // a Cond[Track]
//	Albums.ID.InQuery(query.Select1(query.Deref(Tracks.AlbumID)))
//
// The SQL is a's own. A NULL compares as SQL's NULL does (no row matches
// it), and a NULL read into a V is an error, never a zero value: select
// Coalesce(query.Deref(a), query.Val(v)) to read a default instead.
func Deref[T, V any](a Operand[T, *V]) Term[T, V] {
	return term[T](sameExpr{a}, derefCodec[V](a.Codec()))
}

// NullValue views a, an expression yielding sql.Null[V], as yielding V;
// see Deref.
func NullValue[T, V any](a Operand[T, sql.Null[V]]) Term[T, V] {
	return term[T](sameExpr{a}, nullValueCodec[V](a.Codec()))
}

// sameExpr writes an expression as it is, under another type.
type sameExpr struct{ e Expr }

func (s sameExpr) AppendSQL(b *Builder)     { s.e.AppendSQL(b) }
func (s sameExpr) sources(add func(Source)) { walkSources(s.e, add) }

// derefCodec returns the codec of V for an expression whose codec of *V
// is c: V's own, as a NUMERIC column's when c is one.
func derefCodec[V any](c Codec[*V]) Codec[V] {
	if n, ok := c.(numericCodec[*V]); ok {
		return numericCodec[V]{inner: CodecFor[V](), scale: n.scale, text: n.text}
	}
	return CodecFor[V]()
}

// nullValueCodec is derefCodec for a codec of sql.Null[V].
func nullValueCodec[V any](c Codec[sql.Null[V]]) Codec[V] {
	switch n := c.(type) {
	case nullCodec[V]:
		return n.inner
	case numericCodec[sql.Null[V]]:
		return numericCodec[V]{inner: CodecFor[V](), scale: n.scale, text: n.text}
	}
	return CodecFor[V]()
}
