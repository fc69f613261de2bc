package query

import "fmt"

// Aliased is a table under another name in a statement, a typed copy of
// it: what a self-join needs (employees and their managers, both rows of
// one table) and what joining one table twice needs (a billing and a
// shipping address). As makes one; ColOf gives its columns.
//
// A is a type of the program's own that names the alias, such as
// type manager struct{}: the conditions on the alias's columns are
// Cond[A], so the compiler refuses them where conditions on the table's
// own rows are wanted (a repository's Find, Where of the table's query),
// and an alias's column cannot be mistaken for the table's.
type Aliased[A any] struct {
	base Source
	name string
	err  error
}

// As returns table t under the name as, for self-joins and for a table
// joined twice:
//
//	type manager struct{}
//	mgr := query.As[manager](Employees, "manager")
//	q := query.Select2(Employees.LastName, query.ColOf(mgr, Employees.LastName)).
//		JoinOn(mgr, Employees.ReportsTo.EqCol(query.Ptr(query.ColOf(mgr, Employees.ID))))
//
// The statement reads it as "t" AS "as". The name must not be empty nor
// t's own name, and one statement must not give two tables one name;
// a mistake fails the statements that read the alias, naming it.
func As[A any](t Source, as string) *Aliased[A] {
	a := &Aliased[A]{base: t, name: as}
	switch {
	case t == nil:
		a.err = errorf("alias %q of a nil table", as)
	case as == "":
		a.err = errorf("alias of %s has no name", t.TableName())
	case isFromAppender(t):
		a.err = errorf("alias %q of %s, which is not a table", as, t.TableName())
	case as == t.TableName():
		a.err = errorf("alias %q of %s is the table's own name", as, t.TableName())
	}
	return a
}

// TableName is the alias: the name the statement knows the table by.
func (a *Aliased[A]) TableName() string { return a.name }

// Base is the table aliased.
func (a *Aliased[A]) Base() Source { return a.base }

// String returns "table AS alias".
func (a *Aliased[A]) String() string {
	if a.base == nil {
		return "<nil> AS " + a.name
	}
	return a.base.TableName() + " AS " + a.name
}

// appendFrom writes the table and its alias where a statement names the
// tables it reads.
func (a *Aliased[A]) appendFrom(b *Builder) {
	if a.err != nil {
		b.Fail(a.err)
		return
	}
	b.Table(a.base)
	b.WriteString(" AS ")
	b.Ident(a.name)
}

func isFromAppender(s Source) bool {
	_, ok := s.(fromAppender)
	return ok
}

// fromAppender is a source written in FROM and JOIN as something other
// than its plain name: an aliased table, a subquery.
type fromAppender interface {
	appendFrom(b *Builder)
	// sameAs reports whether o is this source or one written alike.
	sameAs(o Source) bool
}

// sameAs reports whether o is a, or an alias of the same table by the
// same name.
func (a *Aliased[A]) sameAs(o Source) bool {
	b, ok := o.(*Aliased[A])
	if !ok || b == nil {
		return false
	}
	return a == b || a.err == nil && b.err == nil && a.name == b.name &&
		tableNameOf(a.base) == tableNameOf(b.base)
}

// ColOf returns column c of the aliased table, read through the alias:
// query.ColOf(mgr, Employees.LastName) is "manager"."last_name". Its
// conditions are on the alias's rows (Cond[A]). A c that is not a column
// of the aliased table fails the statements that read it.
func ColOf[A, V any](a *Aliased[A], c Value[V]) Term[A, V] {
	col, ok := c.(Column)
	ac := aliasColumn[A]{a: a}
	switch {
	case a == nil:
		ac.err = errorf("column of a nil alias")
	case a.err != nil:
		ac.err = a.err
	case !ok:
		ac.err = errorf("alias %s: %s is not a column", a.name, nameOf(c))
	case a.base == nil || col.Source() == nil || col.Source().TableName() != a.base.TableName():
		ac.err = fmt.Errorf("query: alias %s: column %s is not a column of %s", a.name, nameOf(c), tableNameOf(a.base))
	default:
		ac.name = col.ColumnName()
	}
	return term[A](Expr(ac), c.Codec())
}

func tableNameOf(s Source) string {
	if s == nil {
		return "<nil>"
	}
	return s.TableName()
}

// aliasColumn is a column read through an alias.
type aliasColumn[A any] struct {
	a    *Aliased[A]
	name string
	err  error
}

func (c aliasColumn[A]) AppendSQL(b *Builder) {
	if c.err != nil {
		b.Fail(c.err)
		return
	}
	AppendColumn(b, c.a.name, c.name)
}

// Source is the alias, so that a statement reading the column must read
// the alias.
func (c aliasColumn[A]) Source() Source {
	if c.a == nil {
		return nil
	}
	return c.a
}

// ColumnName is the column's unquoted name.
func (c aliasColumn[A]) ColumnName() string { return c.name }
