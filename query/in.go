package query

import (
	"encoding/json"
)

// inlineLimit is the longest IN list written with one placeholder per
// value on a dialect without array parameters; longer lists travel as one
// JSON array, so no list ever nears the parameter limit.
const inlineLimit = 500

type inList[V any] struct {
	e   Value[V]
	vs  []V
	not bool
}

// In is true where l equals one of vs. With no values it matches no row
// (and its negation every row) instead of writing invalid SQL. However
// long vs is, the statement stays under the dialect's parameter limit: on
// PostgreSQL the list is one array parameter (= ANY($1)); on SQLite a list
// longer than 500 is one JSON parameter read by json_each.
func In[T, V any](l Value[V], vs []V) Cond[T] { return Cond[T]{e: inList[V]{e: l, vs: vs}} }

// NotIn is true where l equals none of vs.
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
	case len(args) <= inlineLimit || !b.f.JSONArrayParams:
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
		if len(b.args) > b.f.MaxParams {
			b.Fail(errorf("IN list of %d values exceeds the dialect's %d parameters", len(args), b.f.MaxParams))
		}
	default:
		for _, a := range args {
			if _, ok := a.([]byte); ok {
				b.Fail(errorf("IN list of %d byte strings on %s: lists longer than %d must hold no []byte", len(args), b.d.Name(), inlineLimit))
				return
			}
		}
		data, err := json.Marshal(args)
		if err != nil {
			b.Fail(errorf("IN list for %s: %w", nameOf(x.e), err))
			return
		}
		if x.not {
			b.WriteString(" NOT")
		}
		b.WriteString(" IN (SELECT value FROM json_each(")
		b.Bind(string(data))
		b.WriteString("))")
	}
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
