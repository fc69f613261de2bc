package query

import (
	"database/sql/driver"
	"reflect"
	"strings"
	"sync"

	"github.com/genrepo/genrepo/dialect"
)

// Value is an expression that yields values of type V: a column, an
// aggregate, a raw fragment with a declared type. Its Codec binds and scans
// those values.
type Value[V any] interface {
	Expr
	// Codec returns the codec that binds values compared with or
	// assigned to the expression and scans its results into V. It is
	// called when a condition, assignment or projection is built, not per
	// row.
	Codec() Codec[V]
}

// Source is a table that statements read and write; mapped.Table
// implements it.
type Source interface {
	// TableName is the table's unquoted name.
	TableName() string
}

// Column is a reference to one column of a Source; mapped.Column
// implements it.
type Column interface {
	Expr
	// Source is the column's table.
	Source() Source
	// ColumnName is the column's unquoted name.
	ColumnName() string
}

// AppendColumn appends a reference to the column name of table, qualified
// by the table when the builder asks for it. mapped.Column calls it.
func AppendColumn(b *Builder, table, name string) {
	if b.qualify {
		b.Ident(b.qualifier(table))
		b.buf = append(b.buf, '.')
	}
	b.Ident(name)
}

// param is a value bound through its codec.
type param[V any] struct {
	v     V
	codec Codec[V]
	of    Expr // the expression it is compared with, named in errors
}

// Codec returns the codec the value is bound through.
func (p param[V]) Codec() Codec[V] { return p.codec }

func (p param[V]) AppendSQL(b *Builder) {
	arg, err := p.codec.Bind(b.f, p.v)
	if err != nil {
		b.Fail(errorf("value for %s: %w", nameOf(p.of), err))
	}
	b.Bind(arg)
}

// nullBinder is a bound value that can tell whether it binds SQL NULL.
type nullBinder interface {
	bindsNull(f *dialect.Features) bool
}

func (p param[V]) bindsNull(f *dialect.Features) bool {
	arg, err := p.codec.Bind(f, p.v)
	return err == nil && BindsNull(arg)
}

// BindsNull reports whether a driver argument (what a Codec's Bind
// returns) is sent as SQL NULL: nil, a nil pointer, or a driver.Valuer
// (such as an invalid sql.Null) whose value is nil.
func BindsNull(a any) bool {
	if a == nil {
		return true
	}
	if rv := reflect.ValueOf(a); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return true
	}
	if v, ok := a.(driver.Valuer); ok {
		x, err := v.Value()
		return err == nil && x == nil
	}
	return false
}

func nameOf(e Expr) string {
	if c, ok := e.(Column); ok {
		if s := c.Source(); s != nil {
			return s.TableName() + "." + c.ColumnName()
		}
		return c.ColumnName()
	}
	return "expression"
}

// Bound returns an expression binding v through the codec of the value it
// will be compared with, so that, say, a timestamp compared with a
// timestamp column is written as that column stores it.
func Bound[V any](like Value[V], v V) Expr {
	return param[V]{v: v, codec: like.Codec(), of: like}
}

// raw is an SQL fragment with ? placeholders.
type raw struct {
	sql  string
	args []any
}

// Raw returns an SQL fragment, the explicit escape hatch. Each ? in sql is
// a placeholder for the next of args, which are bound, never
// interpolated; write ?? for a literal question mark. The fragment is
// written as given, so it must never be assembled from untrusted input. A
// count of placeholders that differs from len(args) is an error when the
// statement is built.
func Raw(sql string, args ...any) Expr { return raw{sql: sql, args: args} }

func (r raw) AppendSQL(b *Builder) {
	s, n := r.sql, 0
	for {
		i := strings.IndexByte(s, '?')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		if i+1 < len(s) && s[i+1] == '?' {
			b.buf = append(b.buf, '?')
			s = s[i+2:]
			continue
		}
		if n < len(r.args) {
			b.Bind(r.args[n])
		}
		n++
		s = s[i+1:]
	}
	if n != len(r.args) {
		b.Fail(errorf("raw SQL %q has %d placeholders but %d arguments", r.sql, n, len(r.args)))
	}
}

// rawValue is a Raw fragment with a declared result type.
type rawValue[V any] struct {
	raw
}

func (rawValue[V]) Codec() Codec[V] { return CodecFor[V]() }

// RawValue returns a Raw fragment that yields values of type V, for a
// projection or a comparison: query.RawValue[int64]("length(?)", s).
func RawValue[V any](sql string, args ...any) Value[V] {
	return rawValue[V]{raw{sql: sql, args: args}}
}

// list appends expressions separated by commas.
func list[E Expr](b *Builder, es []E) {
	for i, e := range es {
		if i > 0 {
			b.WriteString(", ")
		}
		e.AppendSQL(b)
	}
}

// sourced is implemented by expressions built of other expressions, so
// that the tables a statement reads can be found.
type sourced interface {
	sources(add func(Source))
}

// walkSources calls add with the table of every column e reads, outside
// subqueries (which have tables of their own).
func walkSources(e Expr, add func(Source)) {
	switch v := e.(type) {
	case nil:
	case Column:
		if s := v.Source(); s != nil {
			add(s)
		}
	case sourced:
		v.sources(add)
	}
}

// checkSources reports an error when any of exprs reads a table the
// statement does not (from and the tables in joined): without a join, such
// a column would be read from the wrong table or not found.
func checkSources[E Expr](from Source, joined map[string]Source, what string, exprs []E) error {
	sc := newSourceCheck(from, joined)
	defer sc.release()
	return checkSourcesWith(sc, what, exprs)
}

// checkSourcesWith is checkSources with the statement's tables in sc,
// which a statement checking several lists of expressions shares among
// them.
func checkSourcesWith[E Expr](sc *sourceCheck, what string, exprs []E) error {
	sc.what = what
	for _, e := range exprs {
		// A column, the most common expression, is checked without a
		// walk, so a SELECT of a table's columns allocates nothing here.
		if c, ok := any(e).(Column); ok {
			if s := c.Source(); s != nil {
				if err := sourceErr(sc.from, sc.joined, what, s); err != nil {
					return err
				}
			}
			continue
		}
		walkSources(e, sc.add)
		if sc.err != nil {
			return sc.err
		}
	}
	return nil
}

// sourceCheck keeps the first error checkSources finds in a walk.
type sourceCheck struct {
	from   Source
	joined map[string]Source
	what   string
	err    error
	add    func(Source) // check, made once
}

// sourceChecks holds spare sourceChecks, each with its add made, so that
// checking a statement's sources allocates nothing once warm. It and the
// pool of Builders are the package's only state: scratch values, each
// used by one statement at a time and cleared before it goes back.
var sourceChecks = sync.Pool{New: func() any {
	sc := new(sourceCheck)
	sc.add = sc.check
	return sc
}}

// newSourceCheck returns a sourceCheck of a statement reading from and
// joined; release it when the check is done.
func newSourceCheck(from Source, joined map[string]Source) *sourceCheck {
	sc := sourceChecks.Get().(*sourceCheck)
	sc.from, sc.joined = from, joined
	return sc
}

// release clears sc, which must not be used afterwards, and keeps it for
// the next check.
func (c *sourceCheck) release() {
	c.from, c.joined, c.what, c.err = nil, nil, "", nil
	sourceChecks.Put(c)
}

func (c *sourceCheck) check(s Source) {
	if c.err == nil {
		c.err = sourceErr(c.from, c.joined, c.what, s)
	}
}

// sourceErr reports s when it is neither from nor joined. An aliased
// table or a subquery must be the one the statement reads under its name
// (or one written alike), not another that goes by the same name, whose
// columns the statement would read in its stead.
func sourceErr(from Source, joined map[string]Source, what string, s Source) error {
	name := s.TableName()
	read := joined[name]
	if name == from.TableName() {
		read = from
	}
	if read == nil {
		return errorf("%s reads table %q, which the statement on %q does not join", what, name, from.TableName())
	}
	if d, ok := s.(fromAppender); ok && !d.sameAs(read) {
		return errorf("%s reads %s, but the statement on %q reads another table or subquery by the name %q: give them distinct names",
			what, s, from.TableName(), name)
	}
	return nil
}

func (c Cond[T]) sources(add func(Source))   { walkSources(c.e, add) }
func (o Order[T]) sources(add func(Source))  { walkSources(o.e, add) }
func (a Agg[V]) sources(add func(Source))    { walkSources(a.arg, add) }
func (n notExpr) sources(add func(Source))   { walkSources(n.e, add) }
func (n nullTest) sources(add func(Source))  { walkSources(n.e, add) }
func (x inList[V]) sources(add func(Source)) { walkSources(x.e, add) }
func (x inQuery) sources(add func(Source))   { walkSources(x.e, add) }
func (l like) sources(add func(Source))      { walkSources(l.e, add) }
func (m textMatch) sources(add func(Source)) { walkSources(m.e, add) }

func (l logic) sources(add func(Source)) {
	for _, p := range l.parts {
		walkSources(p, add)
	}
}

func (c compare) sources(add func(Source)) {
	walkSources(c.l, add)
	walkSources(c.r, add)
}

func (x between) sources(add func(Source)) {
	walkSources(x.e, add)
	walkSources(x.lo, add)
	walkSources(x.hi, add)
}
