package query

import "errors"

// jsonListMin is the shortest IN list bound as one JSON parameter on a
// dialect with JSONArrayParams; shorter lists take one placeholder per
// value. SQLite runs a short list of placeholders faster (100 integer keys:
// about 125 µs against 228 µs through json_each, measured with
// BenchmarkLongIn), at the price of a statement text per length, and a
// long one would near the parameter limit.
const jsonListMin = 501

type inList[V any] struct {
	e   Value[V]
	vs  []V
	not bool
}

// In is true where l equals one of vs. With no values it matches no row
// (and its negation every row) instead of writing invalid SQL. Each value
// compares exactly as it would bound as a parameter of its own, and
// however long vs is the statement stays under the dialect's parameter
// limit: on PostgreSQL the list is one array parameter (= ANY($1)); on
// SQLite a list of up to 500 values takes a placeholder each, and a longer
// one is one JSON parameter read by json_each (see the package
// documentation), except for values that have no exact JSON form, which
// are bound one per parameter up to the dialect's limit and refused beyond
// it. The comparison is SQL's, unlike Eq's with a NULL: a value of vs that
// binds as NULL (a nil pointer, an invalid sql.Null) matches no row, a row
// whose l is NULL is matched by neither In nor NotIn, and NotIn with a
// NULL among vs matches no row at all; use IsNull for NULLs.
func In[T, V any](l Value[V], vs []V) Cond[T] { return Cond[T]{e: inList[V]{e: l, vs: vs}} }

// NotIn is true where l equals none of vs, with SQL's NULLs as In says.
func NotIn[T, V any](l Value[V], vs []V) Cond[T] {
	return Cond[T]{e: inList[V]{e: l, vs: vs, not: true}}
}

func (x inList[V]) AppendSQL(b *Builder) {
	if len(x.vs) == 0 {
		if x.not {
			b.WriteString("1 = 1")
		} else {
			b.WriteString("1 = 0")
		}
		return
	}
	codec := x.e.Codec()
	args := make([]any, len(x.vs))
	for i, v := range x.vs {
		a, err := codec.Bind(b.f, v)
		if err != nil {
			b.Fail(errorf("value for %s: %w", nameOf(x.e), err))
		}
		args[i] = a
	}
	x.e.AppendSQL(b)
	switch {
	case b.f.ArrayParams:
		if x.not {
			b.WriteString(" <> ALL(")
		} else {
			b.WriteString(" = ANY(")
		}
		b.Bind(args)
		b.WriteByte(')')
	case len(args) >= jsonListMin && b.f.JSONArrayParams && x.appendJSON(b, args):
	default:
		x.appendPlaceholders(b, args)
	}
}

// appendJSON writes the list as one JSON parameter expanded by json_each,
// and reports false, having written nothing, when a value has no exact
// JSON form. The unary + leaves json_each's values without affinity, as
// bound parameters are, so the column's affinity applies to them as it
// would to a list of parameters (a TEXT column compared with an integer
// compares it as text).
func (x inList[V]) appendJSON(b *Builder, args []any) bool {
	data, blobs, err := appendJSONList(make([]byte, 0, 16*len(args)), args)
	switch {
	case errors.Is(err, errNoJSON):
		return false
	case err != nil:
		b.Fail(errorf("IN list for %s: %w", nameOf(x.e), err))
		return true
	}
	if x.not {
		b.WriteString(" NOT")
	}
	if blobs {
		b.WriteString(" IN (SELECT unhex(value) FROM json_each(")
	} else {
		b.WriteString(" IN (SELECT +value FROM json_each(")
	}
	b.Bind(string(data))
	b.WriteString("))")
	return true
}

// appendPlaceholders writes the list with one placeholder per value.
func (x inList[V]) appendPlaceholders(b *Builder, args []any) {
	if x.not {
		b.WriteString(" NOT")
	}
	b.WriteString(" IN (")
	for i, a := range args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.Bind(a)
	}
	b.WriteByte(')')
	if len(b.args) <= b.f.MaxParams {
		return
	}
	if b.f.JSONArrayParams && len(args) >= jsonListMin {
		b.Fail(errorf("IN list for %s: %d values of %T have no exact JSON form, and one parameter each exceeds the dialect's %d parameters",
			nameOf(x.e), len(args), x.vs[0], b.f.MaxParams))
		return
	}
	b.Fail(errorf("IN list for %s: %d values exceed the dialect's %d parameters", nameOf(x.e), len(args), b.f.MaxParams))
}

// Subquery is a query that yields one column of type V, usable with
// InQuery; a Projection made by Select1 is one.
type Subquery[V any] interface {
	Expr
	subquery(V)
}

type inQuery struct {
	e   Expr
	sub Expr
	not bool
}

func (x inQuery) AppendSQL(b *Builder) {
	x.e.AppendSQL(b)
	if x.not {
		b.WriteString(" NOT")
	}
	b.WriteString(" IN (")
	x.sub.AppendSQL(b)
	b.WriteByte(')')
}

// InQuery is true where l is among the values the subquery yields.
func InQuery[T, V any](l Value[V], sub Subquery[V]) Cond[T] {
	return Cond[T]{e: inQuery{e: l, sub: sub}}
}

// NotInQuery is true where l is not among the values the subquery yields.
func NotInQuery[T, V any](l Value[V], sub Subquery[V]) Cond[T] {
	return Cond[T]{e: inQuery{e: l, sub: sub, not: true}}
}
