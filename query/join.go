package query

import "database/sql"

// JoinClause is one JOIN of a statement: the table brought in and the
// condition that matches its rows.
type JoinClause struct {
	Left bool // LEFT OUTER JOIN rather than (inner) JOIN
	// Table is the table brought in, which the statement's expressions
	// may then read; it must not be nil.
	Table Source
	Alias string // optional: the name the table goes by in the statement
	// On is the join condition, written after ON; it must not be nil.
	// Columns of Table in it are qualified by Alias when one is set.
	On Expr
}

// Relationship is a link between two tables that a projection can join
// through; the relation package's descriptors implement it.
type Relationship interface {
	// JoinClauses returns the inner joins that bring the relation's other
	// table into a statement, given which tables it already reads; an
	// error when it reads neither side.
	JoinClauses(have func(Source) bool) ([]JoinClause, error)
}

// joinRel is a relationship a projection joins through.
type joinRel struct {
	rel  Relationship
	left bool
}

// Join adds an inner join through a relation, such as
// query.Select2(Artists.Name, Tracks.Title).Join(ArtistTracks): only rows
// with a match on both sides.
func (p *Projection[R]) Join(r Relationship) *Projection[R] {
	return p.with(func(s *Select) { s.joins = append(s.joins, joinRel{rel: r}) })
}

// LeftJoin adds a left outer join through a relation: every row of the
// tables already read, with NULLs where the relation has no match. Select
// nullable types (pointers, sql.Null) for the joined table's columns.
func (p *Projection[R]) LeftJoin(r Relationship) *Projection[R] {
	return p.with(func(s *Select) { s.joins = append(s.joins, joinRel{rel: r, left: true}) })
}

// JoinOn adds an inner join of table t on a condition the program writes:
// for a table read through an alias (As), and for tables no relation
// links. The condition may read t and the tables the statement reads
// before it.
//
//	mgr := query.As[manager](Employees, "manager")
//	query.Select2(Employees.LastName, query.ColOf(mgr, Employees.LastName)).
//		JoinOn(mgr, Employees.ReportsTo.EqCol(query.Ptr(query.ColOf(mgr, Employees.ID))))
func (p *Projection[R]) JoinOn(t Source, on Condition) *Projection[R] {
	return p.with(func(s *Select) { s.Joined = append(s.Joined, JoinClause{Table: t, On: on}) })
}

// LeftJoinOn adds a left outer join of table t on a condition, as JoinOn
// does: every row of the tables read before, with NULLs where t has no
// match. Select nullable types for t's columns (Nullable, Ptr).
func (p *Projection[R]) LeftJoinOn(t Source, on Condition) *Projection[R] {
	return p.with(func(s *Select) { s.Joined = append(s.Joined, JoinClause{Left: true, Table: t, On: on}) })
}

// resolve turns the statement's relationships into join clauses and
// returns every table the statement reads.
func (s *Select) resolve(from Source) ([]JoinClause, map[string]Source, error) {
	if len(s.Joined) == 0 && len(s.joins) == 0 {
		return nil, nil, nil // one table: no join, and nothing to allocate
	}
	tables := map[string]Source{from.TableName(): from}
	have := func(src Source) bool { return tables[src.TableName()] != nil }
	var out []JoinClause
	for _, c := range s.Joined {
		if cond, ok := c.On.(Condition); c.Table == nil || c.On == nil || ok && cond.empty() {
			return nil, nil, errorf("a join of the statement on %q has no table or no ON condition", from.TableName())
		}
		name := c.Table.TableName()
		switch {
		case c.Alias != "" || tables[name] == nil:
		case name == from.TableName():
			return nil, nil, errorf("table %q is both the table the statement reads and joined: read one of them through an alias (query.As), or name the other with From", name)
		default:
			return nil, nil, errorf("table %q is joined twice in the statement on %q: read one of them through an alias (query.As)", name, from.TableName())
		}
		if tables[name] == nil {
			tables[name] = c.Table
		}
		if err := checkSources(from, tables, "a join's ON condition", []Expr{c.On}); err != nil {
			return nil, nil, err
		}
		out = append(out, c)
	}
	for _, j := range s.joins {
		cs, err := j.rel.JoinClauses(have)
		if err != nil {
			return nil, nil, err
		}
		for _, c := range cs {
			c.Left = j.left
			if tables[c.Table.TableName()] == nil {
				tables[c.Table.TableName()] = c.Table
			}
			out = append(out, c)
		}
	}
	return out, tables, nil
}

// appendJoins appends the joins and returns how many aliases it pushed;
// the caller pops them when its statement ends.
func appendJoins(b *Builder, joins []JoinClause) (pushed int) {
	for _, j := range joins {
		if j.Left {
			b.WriteString(" LEFT JOIN ")
		} else {
			b.WriteString(" JOIN ")
		}
		b.Table(j.Table)
		if j.Alias != "" {
			as := b.freshAlias(j.Alias)
			b.WriteString(" AS ")
			b.Ident(as)
			b.PushAlias(j.Table.TableName(), as)
			pushed++
		}
		b.WriteString(" ON ")
		prevBar := b.barWindows("a join's ON")
		j.On.AppendSQL(b)
		b.restoreWindows(prevBar)
	}
	return pushed
}

// Qualified is a reference to a column always written qualified, by the
// name its table goes by just outside the innermost EXISTS being written
// (its alias there, when the subquery is nested in another over the same
// table), or by the table's name: the outer side of a correlated subquery.
type Qualified struct {
	// Table is the unquoted name of the column's table; the alias it goes
	// by, if any, is found when the reference is written.
	Table string
	// Name is the column's unquoted name.
	Name string
}

// AppendSQL appends "table"."name".
func (q Qualified) AppendSQL(b *Builder) {
	b.Ident(lookup(b.outer, q.Table))
	b.WriteByte('.')
	b.Ident(q.Name)
}

// Equal is the condition l = r between two expressions of any type, for
// join and correlation conditions that the relation package builds from
// columns whose types it has already checked.
func Equal(l, r Expr) Expr { return compare{l: l, op: Eq, r: r} }

// ExistsQuery describes EXISTS (SELECT 1 FROM From [AS Alias] [joins]
// WHERE Where…), correlated with the statement around it through a Where
// condition naming Outer's columns.
type ExistsQuery struct {
	// From is the subquery's table; it must not be nil.
	From  Source
	Alias string // set when From is also the outer table
	// Joins are the subquery's joins, written after From in order; their
	// tables are the subquery's own, unseen by the outer statement.
	Joins []JoinClause
	// Where holds the subquery's conditions, joined with AND: the
	// correlation (typically an Equal with a Qualified side) and any
	// Condition, which is skipped when it restricts nothing. Plain
	// expressions are accepted so that Equal needs no row type.
	Where []Expr
	// Outer is the table of the statement around the subquery whose
	// columns Where references through Qualified, and the only table the
	// outer statement sees the condition read. Nil for an uncorrelated
	// subquery.
	Outer Source
}

type exists struct{ q ExistsQuery }

// Exists is the condition that the subquery finds a row: the building
// block of the relation package's Has and Any.
func Exists[T any](q ExistsQuery) Cond[T] { return Cond[T]{e: exists{q}} }

func (x exists) AppendSQL(b *Builder) {
	prev := b.SetQualified(true)
	defer b.SetQualified(prev)
	if x.q.Outer != nil {
		// The outer table's name here, before this subquery's own alias
		// hides it: what Qualified references in Where resolve to.
		name := x.q.Outer.TableName()
		b.outer = append(b.outer, alias{name, b.qualifier(name)})
		defer func() { b.outer = b.outer[:len(b.outer)-1] }()
	}
	b.WriteString("EXISTS (SELECT 1 FROM ")
	b.Table(x.q.From)
	if x.q.Alias != "" {
		as := b.freshAlias(x.q.Alias)
		b.WriteString(" AS ")
		b.Ident(as)
		b.PushAlias(x.q.From.TableName(), as)
		defer b.PopAlias()
	}
	for range appendJoins(b, x.q.Joins) {
		defer b.PopAlias()
	}
	n := 0
	for _, w := range x.q.Where {
		if c, ok := w.(Condition); ok && c.empty() {
			continue
		}
		if n == 0 {
			b.WriteString(" WHERE ")
		} else {
			b.WriteString(" AND ")
		}
		n++
		if needsGroup(condExpr(w), "AND") {
			b.WriteByte('(')
			w.AppendSQL(b)
			b.WriteByte(')')
			continue
		}
		w.AppendSQL(b)
	}
	b.WriteByte(')')
}

// condExpr returns the expression inside a Cond, or e itself.
func condExpr(e Expr) Expr {
	if c, ok := e.(interface{ inner() Expr }); ok {
		return c.inner()
	}
	return e
}

func (c Cond[T]) inner() Expr { return c.e }

// sources reports the outer table only: the subquery's own tables are its
// business.
func (x exists) sources(add func(Source)) {
	if x.q.Outer != nil {
		add(x.q.Outer)
	}
}

// Nullable views v as yielding sql.Null[V]: select a column of a table
// brought in by LeftJoin through it, since the join leaves it NULL where
// nothing matches.
//
//	query.Select2(Artists.Name, query.Nullable(Tracks.Title)).LeftJoin(ArtistTracks)
func Nullable[V any](v Value[V]) Value[sql.Null[V]] { return nullable[V]{v} }

type nullable[V any] struct{ v Value[V] }

func (n nullable[V]) AppendSQL(b *Builder)      { n.v.AppendSQL(b) }
func (n nullable[V]) Codec() Codec[sql.Null[V]] { return nullOf(n.v.Codec()) }
func (n nullable[V]) sources(add func(Source))  { walkSources(n.v, add) }
