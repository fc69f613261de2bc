package repo

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sync"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/relation"
)

// Query is a SELECT of whole rows of T being built: conditions, ordering,
// limit and offset, then one of All, One, First, Count, Exists or Iter to
// run it. Every method returns a new Query and leaves the receiver as it
// was, so a Query can be kept and extended freely.
type Query[T any] struct {
	r        *Repo[T]
	where    []query.Condition
	order    []query.Ordering
	limit    int64
	hasLimit bool
	offset   int64
	distinct bool
	loaders  []relation.Loader[T]
	// joined holds the join clauses of Join and LeftJoin; joinedOrder
	// tells that an ordering reads a joined table.
	joined      []query.JoinClause
	joinedOrder bool
	err         error // a join that cannot be made, reported when the query runs
	// whereBuf and orderBuf hold the first conditions and orderings of a
	// query that had none, so that a typical query allocates no slice of
	// them; where and order point into them with their capacity cut, so
	// a later clone appending to them copies them first.
	whereBuf [2]query.Condition
	orderBuf [1]query.Ordering
}

// Query starts a query of every row.
func (r *Repo[T]) Query() *Query[T] { return &Query[T]{r: r} }

// Where starts a query of the rows matching every condition.
func (r *Repo[T]) Where(conds ...query.Cond[T]) *Query[T] { return r.Query().Where(conds...) }

// OrderBy starts a query of every row in the given order.
func (r *Repo[T]) OrderBy(os ...query.Order[T]) *Query[T] { return r.Query().OrderBy(os...) }

// All returns every row of the table.
func (r *Repo[T]) All(ctx context.Context) ([]*T, error) { return r.Query().All(ctx) }

// Count returns the number of rows in the table.
func (r *Repo[T]) Count(ctx context.Context) (int64, error) { return r.Query().Count(ctx) }

// With returns the same query running on ex, typically a transaction (as
// a unit of work's): its statement and its relation loaders run there.
func (q *Query[T]) With(ex dialect.Executor) *Query[T] {
	c := q.clone()
	c.r = c.r.With(ex)
	return c
}

// Table returns the table the query reads, nil for the zero Query.
func (q *Query[T]) Table() *mapped.Table[T] {
	if q == nil {
		return nil
	}
	return q.r.Table()
}

// usable returns nil when q can run, or the error of the operation op
// saying why it cannot: a nil or zero Query, or one of an unusable Repo.
func (q *Query[T]) usable(op string) error {
	if q == nil || q.r == nil {
		return fmt.Errorf("repo: %s: the query has no repository: start one from a Repo (r.Query(), r.Where(…))", op)
	}
	if err := q.r.usable(op); err != nil {
		return err
	}
	if q.err != nil {
		return q.r.errorf(op, q.err)
	}
	if q.distinct && q.joinedOrder {
		return q.r.errorf(op, fmt.Errorf("Distinct with an ordering by a joined table's column, which PostgreSQL refuses: "+
			"a to-one join keeps each row once already, leave Distinct out"))
	}
	return nil
}

// clone returns a copy of q to extend. It shares q's slices with their
// capacity cut to their length, so that appending to them copies them
// first and q never changes. A nil q gives a zero Query.
func (q *Query[T]) clone() *Query[T] {
	if q == nil {
		return &Query[T]{}
	}
	c := *q
	c.where = q.where[:len(q.where):len(q.where)]
	c.order = q.order[:len(q.order):len(q.order)]
	c.loaders = q.loaders[:len(q.loaders):len(q.loaders)]
	c.joined = q.joined[:len(q.joined):len(q.joined)]
	return &c
}

// Load adds relations to load into the rows the query returns, eagerly:
// each relation (and each level of a nested one, made with Then) costs one
// more statement, whatever the number of rows.
//
//	artists.Query().Load(ArtistAlbums.Then(AlbumTracks)).All(ctx) // 3 statements
func (q *Query[T]) Load(loaders ...relation.Loader[T]) *Query[T] {
	c := q.clone()
	c.loaders = append(c.loaders, loaders...)
	return c
}

// Load starts a query of every row with relations loaded eagerly.
func (r *Repo[T]) Load(loaders ...relation.Loader[T]) *Query[T] { return r.Query().Load(loaders...) }

// load runs the query's loaders on rows.
func (q *Query[T]) load(ctx context.Context, rows []*T) error {
	if len(rows) == 0 {
		return nil
	}
	for _, l := range q.loaders {
		if err := l.Load(ctx, q.r.ex, rows); err != nil {
			return q.r.errorf("load", err)
		}
	}
	return nil
}

// Where adds conditions; all must hold.
func (q *Query[T]) Where(conds ...query.Cond[T]) *Query[T] {
	c := q.clone()
	if len(c.where) == 0 && len(conds) <= len(c.whereBuf) {
		c.where = c.whereBuf[:0:len(conds)]
	}
	c.where = slices.Grow(c.where, len(conds))
	for _, cond := range conds {
		c.where = append(c.where, cond)
	}
	return c
}

// OrderBy adds ordering terms, applied in sequence.
func (q *Query[T]) OrderBy(os ...query.Order[T]) *Query[T] {
	c := q.clone()
	if len(c.order) == 0 && len(os) <= len(c.orderBuf) {
		c.order = c.orderBuf[:0:len(os)]
	}
	c.order = slices.Grow(c.order, len(os))
	for _, o := range os {
		c.order = append(c.order, o)
	}
	return c
}

// Limit returns at most n rows. On PostgreSQL the limit is written into
// the statement (LIMIT 100), so that the server reuses the plan it cached
// for it; each distinct limit is then a prepared statement of its own, so
// a program that takes page sizes from its users should keep them to a
// few values.
func (q *Query[T]) Limit(n int64) *Query[T] {
	c := q.clone()
	c.limit, c.hasLimit = n, true
	return c
}

// Offset skips the first n rows; combine it with OrderBy for a stable
// order. The offset is bound, so every page of one size runs one
// statement. PostgreSQL may still plan each page with an offset anew (it
// cannot cost a shared plan for an offset it does not know), where paging
// by key, Where(ID.Gt(last)).Limit(n), reuses one plan.
func (q *Query[T]) Offset(n int64) *Query[T] {
	c := q.clone()
	c.offset = n
	return c
}

// Distinct removes duplicate rows.
func (q *Query[T]) Distinct() *Query[T] {
	c := q.clone()
	c.distinct = true
	return c
}

// Select returns the statement the query runs.
func (q *Query[T]) Select() *query.Select {
	if q.usable("select") != nil {
		return &query.Select{}
	}
	s := q.stmt()
	s.Columns = append([]query.Expr(nil), s.Columns...) // the caller's to change
	s.Joined = append([]query.JoinClause(nil), s.Joined...)
	return s
}

// stmt returns the statement the query runs, selecting the repository's
// shared list of columns.
func (q *Query[T]) stmt() *query.Select {
	s := new(query.Select)
	q.fill(s)
	return s
}

// fill makes s the statement the query runs.
func (q *Query[T]) fill(s *query.Select) {
	*s = query.Select{Distinct: q.distinct, Columns: q.r.s.Columns(), From: q.r.Table(), Joined: q.joined,
		Where: q.where, OrderBy: q.order, Limit: q.limit, HasLimit: q.hasLimit, Offset: q.offset}
}

// selects holds spare statements for render, which fills one in, renders
// it and empties it, so that running a query allocates no statement. It is
// the package's only state: a pool of scratch values, each used by one
// render at a time.
var selects = sync.Pool{New: func() any { return new(query.Select) }}

// render returns the text and arguments of the statement the query runs
// on dialect d.
func (q *Query[T]) render(d dialect.Dialect) (string, []any, error) {
	s := selects.Get().(*query.Select)
	q.fill(s)
	sql, args, err := query.Render(d, s)
	*s = query.Select{} // keeps nothing of the query alive
	selects.Put(s)
	return sql, args, err
}

// String renders the query with PostgreSQL placeholders, for reading.
func (q *Query[T]) String() string {
	if err := q.usable("query"); err != nil {
		return "<" + err.Error() + ">"
	}
	return query.Debug(q.Select())
}

// Iter runs the query and yields its rows one at a time as they arrive,
// without loading them all; breaking out of the loop closes the cursor. An
// error ends the sequence as its last element. With relations to load
// (Load), every row is read first, since loading needs them all and no
// cursor may stay open on a transaction meanwhile: page with Limit and
// Offset to bound memory.
func (q *Query[T]) Iter(ctx context.Context) iter.Seq2[*T, error] {
	if err := q.usable("query"); err != nil {
		return func(yield func(*T, error) bool) { yield(nil, err) }
	}
	if len(q.loaders) == 0 {
		return q.iterRows(ctx)
	}
	return func(yield func(*T, error) bool) {
		rows, err := q.All(ctx)
		if err != nil {
			yield(nil, err)
			return
		}
		for _, row := range rows {
			if !yield(row, nil) {
				return
			}
		}
	}
}

func (q *Query[T]) iterRows(ctx context.Context) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		r := q.r
		sql, args, err := q.render(r.ex.Dialect())
		if err != nil {
			yield(nil, r.errorf("query", err))
			return
		}
		rows, err := r.ex.Query(ctx, sql, args...)
		if err != nil {
			yield(nil, r.errorf("query", err))
			return
		}
		stopped := false
		id, _ := r.ex.(relation.Identity)
		err = r.s.Scan(rows, func(row *T) bool {
			if id != nil {
				// A row the executor holds (a unit's) is its own.
				kept, err := id.Identify(r.Table(), []any{row})
				if err != nil {
					stopped = true
					yield(nil, r.errorf("query", err))
					return false
				}
				row = kept[0].(*T)
			}
			stopped = !yield(row, nil)
			return !stopped
		})
		if err != nil && !stopped {
			yield(nil, r.errorf("query", err))
		}
	}
}

// All runs the query and returns every row.
func (q *Query[T]) All(ctx context.Context) ([]*T, error) {
	if err := q.usable("query"); err != nil {
		return nil, err
	}
	var out []*T
	if q.hasLimit && q.limit > 0 && q.limit <= maxPresized {
		out = make([]*T, 0, q.limit)
	}
	for row, err := range q.iterRows(ctx) {
		if err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	if err := q.load(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// capped returns q reading at most n rows: its own limit when that is
// smaller.
func (q *Query[T]) capped(n int64) *Query[T] {
	if q.hasLimit && q.limit < n {
		return q
	}
	return q.Limit(n)
}

// One returns the only matching row: ErrNotFound when none matches,
// ErrNotUnique when more than one does. The query's own Limit and Offset
// apply first: Limit(1).One finds at most one row.
func (q *Query[T]) One(ctx context.Context) (*T, error) {
	if err := q.usable("one"); err != nil {
		return nil, err
	}
	rows, err := q.capped(2).All(ctx)
	switch {
	case err != nil:
		return nil, err
	case len(rows) == 0:
		return nil, q.r.errorf("one", ErrNotFound)
	case len(rows) > 1:
		return nil, q.r.errorf("one", ErrNotUnique)
	}
	return rows[0], nil
}

// First returns the first matching row in the query's order, or
// ErrNotFound (also under Limit(0)).
func (q *Query[T]) First(ctx context.Context) (*T, error) {
	if err := q.usable("first"); err != nil {
		return nil, err
	}
	rows, err := q.capped(1).All(ctx)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, q.r.errorf("first", ErrNotFound)
	}
	return rows[0], nil
}

// Count returns how many rows the query matches, with its limit and offset
// applied.
func (q *Query[T]) Count(ctx context.Context) (int64, error) {
	if err := q.usable("count"); err != nil {
		return 0, err
	}
	var stmt query.Expr
	if q.hasLimit || q.offset > 0 || q.distinct {
		inner := q.Select()
		inner.OrderBy = nil
		stmt = countOf{inner}
	} else {
		stmt = &query.Select{Columns: []query.Expr{query.Count()}, From: q.r.Table(), Joined: q.joined, Where: q.where}
	}
	return q.scalar(ctx, "count", stmt)
}

// Exists reports whether the query matches any row, within its Limit and
// Offset: Limit(0) matches none.
func (q *Query[T]) Exists(ctx context.Context) (bool, error) {
	if err := q.usable("exists"); err != nil {
		return false, err
	}
	if q.hasLimit && q.limit == 0 {
		return false, nil // Limit(0) matches no row, as Count says
	}
	stmt := &query.Select{Columns: []query.Expr{query.Raw("1")}, From: q.r.Table(), Joined: q.joined, Where: q.where,
		Limit: 1, HasLimit: true, Offset: q.offset}
	sql, args, err := query.Render(q.r.ex.Dialect(), stmt)
	if err != nil {
		return false, q.r.errorf("exists", err)
	}
	rows, err := q.r.ex.Query(ctx, sql, args...)
	if err != nil {
		return false, q.r.errorf("exists", err)
	}
	defer rows.Close()
	found := rows.Next()
	if err := rows.Close(); err != nil {
		return false, q.r.errorf("exists", err)
	}
	return found, nil
}

func (q *Query[T]) scalar(ctx context.Context, op string, stmt query.Expr) (int64, error) {
	sql, args, err := query.Render(q.r.ex.Dialect(), stmt)
	if err != nil {
		return 0, q.r.errorf(op, err)
	}
	rows, err := q.r.ex.Query(ctx, sql, args...)
	if err != nil {
		return 0, q.r.errorf(op, err)
	}
	defer rows.Close()
	var n int64
	if !rows.Next() {
		if err := rows.Close(); err != nil {
			return 0, q.r.errorf(op, err)
		}
		return 0, q.r.errorf(op, fmt.Errorf("no result row"))
	}
	if err := rows.Scan(&n); err != nil {
		return 0, q.r.errorf(op, err)
	}
	return n, rows.Close()
}

// countOf is SELECT COUNT(*) FROM (inner) AS sub.
type countOf struct{ inner *query.Select }

func (c countOf) AppendSQL(b *query.Builder) {
	b.WriteString("SELECT COUNT(*) FROM (")
	c.inner.AppendSQL(b)
	b.WriteString(") AS ")
	b.Ident("sub")
}
