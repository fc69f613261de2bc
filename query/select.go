package query

import (
	"context"
	"errors"
	"iter"
	"reflect"
	"strconv"
	"unsafe"

	"github.com/genrepo/genrepo/dialect"
)

// Select is a SELECT statement. Repositories and projections fill one in;
// it may also be built by hand and run with an Executor. The zero Limit
// and Offset mean none (set HasLimit for LIMIT 0).
type Select struct {
	// Distinct removes duplicate rows (SELECT DISTINCT).
	Distinct bool
	// Columns is the select list, in the order rows are scanned; it must
	// not be empty. Every expression here and in the clauses below may
	// read only From and the joined tables.
	Columns []Expr
	From    Source // the table read; when nil, the first column's table
	// Where holds conditions joined with AND. Nil conditions and those
	// that restrict nothing (the zero Cond, AllRows) are skipped; when
	// none remain there is no WHERE and every row is read.
	Where []Condition
	// GroupBy lists the GROUP BY expressions, in order; empty for none.
	GroupBy []Expr
	// Having holds conditions on groups, joined with AND and skipped as
	// in Where.
	Having []Condition
	// OrderBy lists the ORDER BY terms, most significant first; empty
	// leaves the order to the database.
	OrderBy []Ordering
	// Limit is the most rows returned, bound as a parameter or written as
	// a literal as the dialect prefers (Features.LiteralLimit); zero means
	// no limit unless HasLimit is set. A negative Limit is an error when
	// the statement is built.
	Limit int64
	// HasLimit makes a zero Limit mean LIMIT 0 rather than no limit.
	HasLimit bool
	// Offset is how many rows to skip, zero for none; negative is an
	// error. On dialects whose OFFSET needs a LIMIT
	// (Features.OffsetNeedsLimit), a statement without one gets LIMIT -1.
	Offset int64
	// Joined lists join clauses written out by the caller; projections
	// add theirs through relations with Join and LeftJoin.
	Joined []JoinClause
	joins  []joinRel
	// as names the selected columns (AS "c1", …) when the statement is a
	// derived table's; nil writes them bare.
	as []string
}

// ErrNotFound is returned, possibly wrapped, when One or First finds no
// row.
var ErrNotFound = errors.New("query: not found")

// ErrNotUnique is returned, possibly wrapped, when One finds more than one
// row.
var ErrNotUnique = errors.New("query: more than one row")

// source returns the table the statement reads.
func (s *Select) source() (Source, []JoinClause, error) {
	from := s.From
	if from == nil {
		from = firstSource(s.Columns)
	}
	if from == nil {
		return nil, nil, errorf("select names no table: give it a column or From")
	}
	joins, joined, err := s.resolve(from)
	if err != nil {
		return nil, nil, err
	}
	// One check for the whole statement, taken from a pool.
	sc := newSourceCheck(from, joined)
	defer sc.release()
	for _, err := range []error{
		checkSourcesWith(sc, "a selected expression", s.Columns),
		checkSourcesWith(sc, "a condition", s.Where),
		checkSourcesWith(sc, "GROUP BY", s.GroupBy),
		checkSourcesWith(sc, "HAVING", s.Having),
		checkSourcesWith(sc, "ORDER BY", s.OrderBy),
	} {
		if err != nil {
			return nil, nil, err
		}
	}
	return from, joins, nil
}

// firstSource returns the first table cols read, nil when none reads one.
func firstSource(cols []Expr) Source {
	var from Source
	for _, c := range cols {
		walkSources(c, func(src Source) {
			if from == nil {
				from = src
			}
		})
		if from != nil {
			break
		}
	}
	return from
}

// AppendSQL appends the statement.
func (s *Select) AppendSQL(b *Builder) {
	from, joins, err := s.source()
	if err != nil {
		b.Fail(err)
		return
	}
	defer b.popWith(appendWith(b, from, joins))
	prev := b.SetQualified(len(joins) > 0)
	defer b.SetQualified(prev)
	defer b.restoreWindows(b.barWindows("")) // a subquery may select window functions
	b.WriteString("SELECT ")
	if s.Distinct {
		b.WriteString("DISTINCT ")
	}
	if len(s.Columns) == 0 {
		b.Fail(errorf("select of %s has no columns", from.TableName()))
		return
	}
	s.appendColumns(b)
	b.WriteString(" FROM ")
	b.Table(from)
	for range appendJoins(b, joins) {
		defer b.PopAlias()
	}
	AppendWhere(b, " WHERE ", s.Where)
	if len(s.GroupBy) > 0 {
		b.WriteString(" GROUP BY ")
		prevBar := b.barWindows("GROUP BY")
		for i, e := range s.GroupBy {
			if i > 0 {
				b.WriteString(", ")
			}
			if n := s.position(b, e); n > 0 && !windowedTerm(b, e) {
				b.WriteString(strconv.Itoa(n))
				continue
			}
			e.AppendSQL(b)
		}
		b.restoreWindows(prevBar)
	}
	AppendWhere(b, " HAVING ", s.Having)
	if len(s.OrderBy) > 0 {
		b.WriteString(" ORDER BY ")
		for i, o := range s.OrderBy {
			if i > 0 {
				b.WriteString(", ")
			}
			s.appendOrder(b, o)
		}
	}
	AppendLimit(b, s.Limit, s.HasLimit, s.Offset)
}

// appendColumns appends the select list, each column named by s.as when
// it is set.
func (s *Select) appendColumns(b *Builder) {
	for i, e := range s.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		e.AppendSQL(b)
		if i < len(s.as) {
			b.WriteString(" AS ")
			b.Ident(s.as[i])
		}
	}
}

// position returns the position in the select list (from 1) of the
// column written exactly as e, for a GROUP BY or ORDER BY term that binds
// parameters, and 0 for any other term. PostgreSQL sees two parameters
// in SELECT ("a" + $1) … GROUP BY ("a" + $2), not one expression, and
// refuses the statement; the position names the selected expression
// itself, on every dialect.
func (s *Select) position(b *Builder, e Expr) int {
	if _, ok := e.(Column); ok || e == nil {
		return 0
	}
	text, args := b.sketch(e)
	if len(args) == 0 {
		return 0
	}
	for i, c := range s.Columns {
		if ct, cargs := b.sketch(c); ct == text && reflect.DeepEqual(cargs, args) {
			return i + 1
		}
	}
	return 0
}

// appendOrder appends an ORDER BY term, by position when position finds
// its expression among the selected ones.
func (s *Select) appendOrder(b *Builder, o Ordering) {
	if t, ok := o.(orderTerm); ok {
		if n := s.position(b, t.orderExpr()); n > 0 {
			t.appendWith(b, func() { b.WriteString(strconv.Itoa(n)) })
			return
		}
	}
	o.AppendSQL(b)
}

// AppendLimit appends LIMIT and OFFSET. OFFSET is a bound parameter;
// LIMIT is one too, or an integer literal where the dialect asks for it
// (Features.LiteralLimit), so that one page size with any offset is still
// one statement text.
func AppendLimit(b *Builder, limit int64, hasLimit bool, offset int64) {
	if limit < 0 || offset < 0 {
		b.Fail(errorf("negative limit %d or offset %d", limit, offset))
		return
	}
	if limit > 0 || hasLimit {
		b.WriteString(" LIMIT ")
		AppendRowCount(b, limit)
	} else if offset > 0 && b.f.OffsetNeedsLimit {
		b.WriteString(" LIMIT -1")
	}
	if offset > 0 {
		b.WriteString(" OFFSET ")
		b.Bind(offset)
	}
}

// AppendRowCount appends n, a count of rows such as a LIMIT's, as
// AppendLimit writes one: an integer literal where the dialect asks for it
// (Features.LiteralLimit), so that the database plans the statement once
// for all executions, and a bound parameter elsewhere. A negative n fails
// the statement.
func AppendRowCount(b *Builder, n int64) {
	switch {
	case n < 0:
		b.Fail(errorf("negative row count %d", n))
	case b.f.LiteralLimit:
		// An int64, checked non-negative: digits only.
		b.buf = strconv.AppendInt(b.buf, n, 10)
	default:
		b.Bind(n)
	}
}

// AppendWhere appends keyword and the conjunction of conds, skipping
// conditions that restrict nothing; it appends nothing when none remain.
func AppendWhere(b *Builder, keyword string, conds []Condition) {
	defer b.restoreWindows(b.barWindows(keyword))
	n := 0
	for _, c := range conds {
		if c == nil || c.empty() {
			continue
		}
		if n == 0 {
			b.WriteString(keyword)
		} else {
			b.WriteString(" AND ")
		}
		n++
		if c.compound() && len(conds) > 1 {
			b.WriteByte('(')
			c.AppendSQL(b)
			b.WriteByte(')')
			continue
		}
		c.AppendSQL(b)
	}
}

// Projection is a SELECT of chosen columns or aggregates scanned into R: a
// value for Select1, a Row2 for Select2, and so on. Its methods return a
// new Projection and never modify the receiver, so a Projection can be
// shared and extended freely.
type Projection[R any] struct {
	stmt Select
	dest func(f *dialect.Features, r *R, d []any)
	err  error // a mistake in building it (SelectInto), reported when it runs
	// spans are the bytes of R each selected column is scanned into, in
	// select-list order: how SubCol finds a field's column.
	spans [][2]uintptr
}

func (p *Projection[R]) with(fn func(s *Select)) *Projection[R] {
	q := *p
	q.stmt.Columns = append([]Expr(nil), p.stmt.Columns...)
	q.stmt.Where = append([]Condition(nil), p.stmt.Where...)
	q.stmt.GroupBy = append([]Expr(nil), p.stmt.GroupBy...)
	q.stmt.Having = append([]Condition(nil), p.stmt.Having...)
	q.stmt.OrderBy = append([]Ordering(nil), p.stmt.OrderBy...)
	q.stmt.joins = append([]joinRel(nil), p.stmt.joins...)
	q.stmt.Joined = append([]JoinClause(nil), p.stmt.Joined...)
	fn(&q.stmt)
	return &q
}

// From sets the table read, for projections with no column of it (such as
// Select1(query.Count())).
func (p *Projection[R]) From(src Source) *Projection[R] {
	return p.with(func(s *Select) { s.From = src })
}

// Where adds conditions, joined with AND.
func (p *Projection[R]) Where(conds ...Condition) *Projection[R] {
	return p.with(func(s *Select) { s.Where = append(s.Where, conds...) })
}

// GroupBy adds GROUP BY expressions.
func (p *Projection[R]) GroupBy(es ...Expr) *Projection[R] {
	return p.with(func(s *Select) { s.GroupBy = append(s.GroupBy, es...) })
}

// Having adds conditions on groups, joined with AND.
func (p *Projection[R]) Having(conds ...Condition) *Projection[R] {
	return p.with(func(s *Select) { s.Having = append(s.Having, conds...) })
}

// OrderBy adds ORDER BY terms.
func (p *Projection[R]) OrderBy(os ...Ordering) *Projection[R] {
	return p.with(func(s *Select) { s.OrderBy = append(s.OrderBy, os...) })
}

// Limit returns at most n rows. On PostgreSQL the limit is written into
// the statement's text (Features.LiteralLimit), so each distinct limit is
// a prepared statement of its own; the offset is always bound.
func (p *Projection[R]) Limit(n int64) *Projection[R] {
	return p.with(func(s *Select) { s.Limit, s.HasLimit = n, true })
}

// Offset skips the first n rows.
func (p *Projection[R]) Offset(n int64) *Projection[R] {
	return p.with(func(s *Select) { s.Offset = n })
}

// Distinct removes duplicate rows.
func (p *Projection[R]) Distinct() *Projection[R] {
	return p.with(func(s *Select) { s.Distinct = true })
}

// AppendSQL appends the statement.
func (p *Projection[R]) AppendSQL(b *Builder) {
	if p.err != nil {
		b.Fail(p.err)
		return
	}
	p.stmt.AppendSQL(b)
}

func (p *Projection[R]) subquery(R) {}

// String renders the statement for PostgreSQL's placeholders, for reading
// and logging; Render gives any dialect's form.
func (p *Projection[R]) String() string { return Debug(p) }

// All runs the query and returns every row.
func (p *Projection[R]) All(ctx context.Context, ex dialect.Executor) ([]R, error) {
	var out []R
	for r, err := range p.Iter(ctx, ex) {
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// capped returns p reading at most n rows: its own limit when that is
// smaller.
func (p *Projection[R]) capped(n int64) *Projection[R] {
	if p.stmt.HasLimit && p.stmt.Limit < n {
		return p
	}
	return p.Limit(n)
}

// One runs the query and returns its only row: ErrNotFound when there is
// none, ErrNotUnique when there are more. The projection's own Limit and
// Offset apply first: Limit(1).One finds at most one row.
func (p *Projection[R]) One(ctx context.Context, ex dialect.Executor) (R, error) {
	var zero R
	rows, err := p.capped(2).All(ctx, ex)
	switch {
	case err != nil:
		return zero, err
	case len(rows) == 0:
		return zero, ErrNotFound
	case len(rows) > 1:
		return zero, ErrNotUnique
	}
	return rows[0], nil
}

// First runs the query and returns its first row in the projection's
// order, or ErrNotFound when there is none (also under Limit(0)).
func (p *Projection[R]) First(ctx context.Context, ex dialect.Executor) (R, error) {
	var zero R
	rows, err := p.capped(1).All(ctx, ex)
	switch {
	case err != nil:
		return zero, err
	case len(rows) == 0:
		return zero, ErrNotFound
	}
	return rows[0], nil
}

// Iter runs the query and yields its rows one at a time, without loading
// them all; stop early by breaking out of the loop. An error ends the
// sequence as its last element.
func (p *Projection[R]) Iter(ctx context.Context, ex dialect.Executor) iter.Seq2[R, error] {
	return func(yield func(R, error) bool) {
		var zero R
		sql, args, err := Render(ex.Dialect(), p)
		if err != nil {
			yield(zero, err)
			return
		}
		rows, err := ex.Query(ctx, sql, args...)
		if err != nil {
			yield(zero, err)
			return
		}
		defer rows.Close()
		f := ex.Dialect().Features()
		dest := make([]any, len(p.stmt.Columns))
		for rows.Next() {
			var r R
			p.dest(f, &r, dest)
			if err := rows.Scan(dest...); err != nil {
				yield(zero, errorf("scan: %w", err))
				return
			}
			if !yield(r, nil) {
				return
			}
		}
		if err := rows.Close(); err != nil {
			yield(zero, err)
		}
	}
}

// Select1 selects one expression: query.Select1(Artists.Name) yields
// strings. It also serves as a subquery for InQuery.
func Select1[A any](a Value[A]) *Projection[A] {
	ca := a.Codec()
	return &Projection[A]{stmt: Select{Columns: []Expr{a}}, spans: [][2]uintptr{{0, unsafe.Sizeof(*new(A))}}, dest: func(f *dialect.Features, r *A, d []any) {
		d[0] = ca.Dest(f, r)
	}}
}

// Row2 is a row of two typed values.
type Row2[A, B any] struct {
	V1 A // the value of Select2's first expression
	V2 B // the value of Select2's second expression
}

// Select2 selects two expressions into Row2 values, SQLAlchemy's
// select(Artist.name, Artist.id) with the types kept.
func Select2[A, B any](a Value[A], b Value[B]) *Projection[Row2[A, B]] {
	ca, cb := a.Codec(), b.Codec()
	return &Projection[Row2[A, B]]{stmt: Select{Columns: []Expr{a, b}}, spans: spansOf[Row2[A, B]](),
		dest: func(f *dialect.Features, r *Row2[A, B], d []any) {
			d[0], d[1] = ca.Dest(f, &r.V1), cb.Dest(f, &r.V2)
		}}
}

// Row3 is a row of three typed values.
type Row3[A, B, C any] struct {
	V1 A // the value of Select3's first expression
	V2 B // the value of Select3's second expression
	V3 C // the value of Select3's third expression
}

// Select3 selects three expressions into Row3 values.
func Select3[A, B, C any](a Value[A], b Value[B], c Value[C]) *Projection[Row3[A, B, C]] {
	ca, cb, cc := a.Codec(), b.Codec(), c.Codec()
	return &Projection[Row3[A, B, C]]{stmt: Select{Columns: []Expr{a, b, c}}, spans: spansOf[Row3[A, B, C]](),
		dest: func(f *dialect.Features, r *Row3[A, B, C], d []any) {
			d[0], d[1], d[2] = ca.Dest(f, &r.V1), cb.Dest(f, &r.V2), cc.Dest(f, &r.V3)
		}}
}

// Row4 is a row of four typed values.
type Row4[A, B, C, D any] struct {
	V1 A // the value of Select4's first expression
	V2 B // the value of Select4's second expression
	V3 C // the value of Select4's third expression
	V4 D // the value of Select4's fourth expression
}

// Select4 selects four expressions into Row4 values.
func Select4[A, B, C, D any](a Value[A], b Value[B], c Value[C], d Value[D]) *Projection[Row4[A, B, C, D]] {
	ca, cb, cc, cd := a.Codec(), b.Codec(), c.Codec(), d.Codec()
	return &Projection[Row4[A, B, C, D]]{stmt: Select{Columns: []Expr{a, b, c, d}}, spans: spansOf[Row4[A, B, C, D]](),
		dest: func(f *dialect.Features, r *Row4[A, B, C, D], ds []any) {
			ds[0], ds[1], ds[2], ds[3] = ca.Dest(f, &r.V1), cb.Dest(f, &r.V2), cc.Dest(f, &r.V3), cd.Dest(f, &r.V4)
		}}
}

// spansOf returns the bytes of a RowN that its fields V1, V2, … cover, in
// order.
func spansOf[R any]() [][2]uintptr {
	t := reflect.TypeFor[R]()
	out := make([][2]uintptr, t.NumField())
	for i := range out {
		f := t.Field(i)
		out[i] = [2]uintptr{f.Offset, f.Offset + f.Type.Size()}
	}
	return out
}
