package relation

import (
	"context"
	"fmt"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
	"github.com/genrepo/genrepo/internal/rowscan"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
)

// loadOpts are the per-use settings of a relation's loader.
type loadOpts[C any] struct {
	where []query.Condition
	order []query.Ordering
	limit int64
}

// fanout is the typed machinery shared by one-to-many and one-to-one
// relations: parent rows of P, child rows of C whose foreign key of type K
// holds the parent's key.
type fanout[P, C any, K comparable] struct {
	pk key[P, K]
	fk key[C, K]
}

// fanoutOps is fanout with its key type erased.
type fanoutOps[P, C any] interface {
	parentTable() *mapped.Table[P]
	childTable() *mapped.Table[C]
	fetch(ctx context.Context, ex dialect.Executor, parents []*P, o *loadOpts[C]) (func(*P) []*C, []*C, error)
	exists(conds []query.Cond[C]) query.Cond[P]
	joins(have func(query.Source) bool) ([]query.JoinClause, error)
	nullableFK() bool
	fkField() *mapped.Field[C]
	// childrenOf is the condition selecting the children of parent.
	childrenOf(parent *P) (query.Cond[C], bool)
	// childrenOfAll is the condition selecting the children of parents.
	childrenOfAll(parents []*P) (query.Cond[C], bool)
	// inverse is the many-to-one machinery over the same keys.
	inverse() backOps[C, P]
	// adopt sets child's foreign key to parent's key; clear sets it NULL.
	adopt(child *C, parent *P)
	clear(child *C)
	belongsTo(child *C, parent *P) bool
}

func (f *fanout[P, C, K]) parentTable() *mapped.Table[P] { return f.pk.table }
func (f *fanout[P, C, K]) childTable() *mapped.Table[C]  { return f.fk.table }
func (f *fanout[P, C, K]) nullableFK() bool              { return f.fk.nullable }
func (f *fanout[P, C, K]) fkField() *mapped.Field[C]     { return f.fk.field }

func (f *fanout[P, C, K]) childrenOf(parent *P) (query.Cond[C], bool) {
	k, ok := f.pk.get(parent)
	if !ok || f.pk.field.IsZero(parent) {
		return query.Cond[C]{}, false
	}
	return f.fk.eq(k), true
}

func (f *fanout[P, C, K]) childrenOfAll(parents []*P) (query.Cond[C], bool) {
	keys := f.pk.keys(parents)
	if len(keys) == 0 {
		return query.Cond[C]{}, false
	}
	return f.fk.in(keys), true
}

func (f *fanout[P, C, K]) inverse() backOps[C, P] { return &belongs[C, P, K]{fk: f.fk, pk: f.pk} }

func (f *fanout[P, C, K]) adopt(child *C, parent *P) {
	k, _ := f.pk.get(parent)
	f.fk.set(child, k)
}

func (f *fanout[P, C, K]) clear(child *C) { f.fk.clear(child) }

func (f *fanout[P, C, K]) belongsTo(child *C, parent *P) bool {
	ck, ok := f.fk.get(child)
	pk, _ := f.pk.get(parent)
	return ok && ck == pk
}

// fetch loads the children of parents with one statement and returns a
// function from a parent to its children, and every child loaded.
func (f *fanout[P, C, K]) fetch(ctx context.Context, ex dialect.Executor, parents []*P, o *loadOpts[C]) (func(*P) []*C, []*C, error) {
	keys := f.pk.keys(parents)
	groups := make(map[K][]*C, len(keys))
	var all []*C
	byParent := func(p *P) []*C {
		k, ok := f.pk.get(p)
		if !ok {
			return nil
		}
		return groups[k]
	}
	if len(keys) == 0 {
		return byParent, nil, nil
	}
	child := f.fk.table
	where := append([]query.Condition{f.fk.in(keys)}, o.where...)
	var stmt query.Statement = &query.Select{Columns: rowscan.Columns(child), From: child, Where: where, OrderBy: o.order}
	if o.limit > 0 {
		order := o.order
		if len(order) == 0 {
			for _, k := range child.PrimaryKey() {
				order = append(order, query.Asc[C](k))
			}
		}
		stmt = &perParent{child: child, cols: rowscan.Columns(child), where: where, partition: f.fk.field,
			order: order, limit: o.limit}
	}
	err := rowscan.Select(ctx, ex, "relation", child, stmt, 0, nil, func(c *C) {
		k, _ := f.fk.get(c)
		groups[k] = append(groups[k], c)
		all = append(all, c)
	})
	if err != nil {
		return nil, nil, errs.Errorf("relation: load %s of %s: %w", child.TableName(), f.pk.table.TableName(), err)
	}
	return byParent, all, nil
}

// exists is EXISTS (SELECT 1 FROM child WHERE child.fk = parent.key AND
// conds…).
func (f *fanout[P, C, K]) exists(conds []query.Cond[C]) query.Cond[P] {
	q := query.ExistsQuery{From: f.fk.table, Outer: f.pk.table,
		Where: []query.Expr{query.Equal(f.fk.field, f.pk.qualified())}}
	if f.fk.table.TableName() == f.pk.table.TableName() {
		q.Alias = "sub_" + f.fk.table.TableName()
	}
	for _, c := range conds {
		q.Where = append(q.Where, c)
	}
	return query.Exists[P](q)
}

func (f *fanout[P, C, K]) joins(have func(query.Source) bool) ([]query.JoinClause, error) {
	return joinPair(have, f.pk.table, f.fk.table, query.Equal(f.fk.field, f.pk.field))
}

// joinPair joins whichever of a and b the statement does not read yet.
func joinPair(have func(query.Source) bool, a, b query.Source, on query.Expr) ([]query.JoinClause, error) {
	switch {
	case a.TableName() == b.TableName():
		return nil, fmt.Errorf("relation: a join of %s with itself cannot go through the relation: read the other side through an alias (query.As) and join it with JoinOn", a.TableName())
	case have(a) && !have(b):
		return []query.JoinClause{{Table: b, On: on}}, nil
	case have(b) && !have(a):
		return []query.JoinClause{{Table: a, On: on}}, nil
	case have(a):
		return nil, fmt.Errorf("relation: %s and %s are both joined already", a.TableName(), b.TableName())
	}
	return nil, fmt.Errorf("relation: the statement reads neither %s nor %s", a.TableName(), b.TableName())
}

// perParent is a select of at most limit children per parent: a window
// function numbers each parent's children in order, and the outer query
// keeps the first ones. The limit is written as a LIMIT is
// (query.AppendRowCount): a literal on PostgreSQL, whose plan is then
// reused.
type perParent struct {
	child     query.Source
	cols      []query.Expr
	where     []query.Condition
	partition query.Expr
	order     []query.Ordering
	limit     int64
}

func (p *perParent) AppendSQL(b *query.Builder) {
	b.WriteString("SELECT ")
	for i, c := range p.cols {
		if i > 0 {
			b.WriteString(", ")
		}
		c.AppendSQL(b)
	}
	b.WriteString(" FROM (")
	inner := &query.Select{Columns: append(append([]query.Expr(nil), p.cols...), rowNumber{p}), From: p.child, Where: p.where}
	inner.AppendSQL(b)
	b.WriteString(") AS ")
	b.Ident("genrepo_sub")
	b.WriteString(" WHERE ")
	b.Ident("genrepo_rn")
	b.WriteString(" <= ")
	query.AppendRowCount(b, p.limit)
	b.WriteString(" ORDER BY ")
	p.partition.AppendSQL(b)
	b.WriteString(", ")
	b.Ident("genrepo_rn")
}

// rowNumber is ROW_NUMBER() OVER (PARTITION BY fk ORDER BY …) AS rn.
type rowNumber struct{ p *perParent }

func (r rowNumber) AppendSQL(b *query.Builder) {
	b.WriteString("ROW_NUMBER() OVER (PARTITION BY ")
	r.p.partition.AppendSQL(b)
	if len(r.p.order) > 0 {
		b.WriteString(" ORDER BY ")
		for i, o := range r.p.order {
			if i > 0 {
				b.WriteString(", ")
			}
			o.AppendSQL(b)
		}
	}
	b.WriteString(") AS ")
	b.Ident("genrepo_rn")
}
