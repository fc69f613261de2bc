package query

// Cond is a condition on rows of type T. Its type parameter is what keeps a
// condition on tracks out of a query of artists: Repo[Artist].Where takes
// only Cond[Artist]. Conditions are immutable values; combining them
// builds new ones. The zero Cond is "no condition": it is dropped from And
// and makes a bulk update or delete refuse to run.
type Cond[T any] struct {
	e   Expr
	all bool
}

// Condition is any Cond, whatever its row type; projections over several
// tables accept it.
type Condition interface {
	Expr
	// empty reports whether the condition restricts nothing: the zero
	// Cond or AllRows.
	empty() bool
	// compound reports whether the condition needs parentheses beside
	// other conditions joined with AND: an OR, or a fragment made by Where.
	compound() bool
}

func (c Cond[T]) empty() bool { return c.e == nil }

func (c Cond[T]) compound() bool { return needsGroup(c.e, "AND") }

// needsGroup reports whether e needs parentheses as one operand of op: a
// logic of another operator, or a fragment whose precedence is unknown.
func needsGroup(e Expr, op string) bool {
	switch x := e.(type) {
	case logic:
		return x.op != op
	case fragment:
		return true
	}
	return false
}

// AppendSQL appends the condition; the zero Cond appends TRUE's portable
// spelling.
func (c Cond[T]) AppendSQL(b *Builder) {
	if c.e == nil {
		b.WriteString("1 = 1")
		return
	}
	c.e.AppendSQL(b)
}

// IsZero reports whether c is the zero Cond, which sets no condition.
func (c Cond[T]) IsZero() bool { return c.e == nil && !c.all }

// IsAll reports whether c is AllRows: every row, asked for explicitly.
func (c Cond[T]) IsAll() bool { return c.all }

// Where wraps any expression as a condition on T. Use it with Raw for what
// the typed operators cannot say:
//
//	query.Where[Artist](query.Raw("length(name) > ?", 3))
//
// Beside other conditions the fragment is written in parentheses, so that
// an OR inside it keeps its meaning.
func Where[T any](e Expr) Cond[T] {
	if e == nil {
		return Cond[T]{}
	}
	return Cond[T]{e: fragment{e}}
}

// fragment is an expression of unknown precedence used as a condition.
type fragment struct{ e Expr }

func (f fragment) AppendSQL(b *Builder)     { f.e.AppendSQL(b) }
func (f fragment) sources(add func(Source)) { walkSources(f.e, add) }

// AllRows is the explicit "every row" condition. A bulk update or delete
// refuses the zero Cond, so that a forgotten condition never touches the
// whole table; pass AllRows to mean it. It renders no WHERE clause.
func AllRows[T any]() Cond[T] { return Cond[T]{all: true} }

// And is true when every condition is; zero conditions are skipped.
func And[T any](cs ...Cond[T]) Cond[T] { return join("AND", cs) }

// Or is true when any condition is; zero conditions are skipped.
func Or[T any](cs ...Cond[T]) Cond[T] { return join("OR", cs) }

// Not negates c. The negation of AllRows matches no row; that of the zero
// Cond is the zero Cond.
func Not[T any](c Cond[T]) Cond[T] {
	if c.all {
		return Cond[T]{e: raw{sql: "1 = 0"}}
	}
	if c.e == nil {
		return c
	}
	return Cond[T]{e: notExpr{c.e}}
}

// And combines c with more conditions.
func (c Cond[T]) And(more ...Cond[T]) Cond[T] { return And(append([]Cond[T]{c}, more...)...) }

// Or combines c with alternatives.
func (c Cond[T]) Or(more ...Cond[T]) Cond[T] { return Or(append([]Cond[T]{c}, more...)...) }

// Not negates c.
func (c Cond[T]) Not() Cond[T] { return Not(c) }

func join[T any](op string, cs []Cond[T]) Cond[T] {
	parts := make([]Expr, 0, len(cs))
	for _, c := range cs {
		if c.all {
			if op == "OR" {
				return c
			}
			continue
		}
		if c.e != nil {
			parts = append(parts, c.e)
		}
	}
	switch len(parts) {
	case 0:
		return Cond[T]{}
	case 1:
		return Cond[T]{e: parts[0]}
	}
	return Cond[T]{e: logic{op: op, parts: parts}}
}

type logic struct {
	op    string
	parts []Expr
}

func (l logic) AppendSQL(b *Builder) {
	for i, p := range l.parts {
		if i > 0 {
			b.WriteString(" " + l.op + " ")
		}
		if needsGroup(p, l.op) {
			b.WriteByte('(')
			p.AppendSQL(b)
			b.WriteByte(')')
			continue
		}
		p.AppendSQL(b)
	}
}

type notExpr struct{ e Expr }

func (n notExpr) AppendSQL(b *Builder) {
	b.WriteString("NOT (")
	n.e.AppendSQL(b)
	b.WriteByte(')')
}

// Op is a comparison operator.
type Op uint8

// The comparison operators.
const (
	Eq Op = iota
	Ne
	Lt
	Le
	Gt
	Ge
)

var opText = [...]string{" = ", " <> ", " < ", " <= ", " > ", " >= "}

type compare struct {
	l, r Expr
	op   Op
}

func (c compare) AppendSQL(b *Builder) {
	if c.op == Eq || c.op == Ne {
		// col = NULL is never true: comparing with a nil pointer or an
		// invalid sql.Null means IS NULL, as it would when written by hand.
		if p, ok := c.r.(nullBinder); ok && p.bindsNull(b.f) {
			nullTest{e: c.l, not: c.op == Ne}.AppendSQL(b)
			return
		}
	}
	c.l.AppendSQL(b)
	b.WriteString(opText[c.op])
	c.r.AppendSQL(b)
}

// Compare is the condition l op v, with v bound through l's codec. With Eq
// and Ne, a v that binds as NULL (a nil pointer, an invalid sql.Null) gives
// l IS NULL and l IS NOT NULL.
func Compare[T, V any](l Value[V], op Op, v V) Cond[T] {
	return Cond[T]{e: compare{l: l, op: op, r: Bound(l, v)}}
}

// CompareWith is the condition l op r between two expressions of the same
// value type, such as two columns.
func CompareWith[T, V any](l Value[V], op Op, r Value[V]) Cond[T] {
	return Cond[T]{e: compare{l: l, op: op, r: r}}
}

type nullTest struct {
	e   Expr
	not bool
}

func (n nullTest) AppendSQL(b *Builder) {
	n.e.AppendSQL(b)
	if n.not {
		b.WriteString(" IS NOT NULL")
		return
	}
	b.WriteString(" IS NULL")
}

// IsNull is true where e is NULL.
func IsNull[T any](e Expr) Cond[T] { return Cond[T]{e: nullTest{e: e}} }

// IsNotNull is true where e is not NULL.
func IsNotNull[T any](e Expr) Cond[T] { return Cond[T]{e: nullTest{e: e, not: true}} }

type between struct{ e, lo, hi Expr }

func (x between) AppendSQL(b *Builder) {
	x.e.AppendSQL(b)
	b.WriteString(" BETWEEN ")
	x.lo.AppendSQL(b)
	b.WriteString(" AND ")
	x.hi.AppendSQL(b)
}

// Between is true where lo <= l <= hi.
func Between[T, V any](l Value[V], lo, hi V) Cond[T] {
	return Cond[T]{e: between{e: l, lo: Bound(l, lo), hi: Bound(l, hi)}}
}
