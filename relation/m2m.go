package relation

import (
	"context"
	"fmt"
	"slices"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
	"github.com/genrepo/genrepo/internal/rowscan"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
)

// ManyToMany is the relation between rows of A and rows of B through an
// association table whose rows each hold one key of each: movies and their
// actors through movies_actors. The related rows live in a slice field of
// A; nil means not loaded. The association table is an ordinary mapped
// table (two foreign keys, usually its primary key with InPrimaryKey),
// created by CreateAll like any other.
//
// Deleting rows of A or B through a repository on a handle bound to a
// model that declares the relation (model.Links) first deletes their
// association rows. A ManyToMany is declared once and is safe for
// concurrent use.
type ManyToMany[A, B any] struct {
	ops   linkOps[A, B]
	field func(*A) *[]*B
	opts  loadOpts[B]
	next  []Loader[B]
}

type linkOps[A, B any] interface {
	aTable() query.Source
	bTable() query.Source
	aTab() *mapped.Table[A]
	bTab() *mapped.Table[B]
	fetch(ctx context.Context, ex dialect.Executor, as []*A, o *loadOpts[B]) (func(*A) []*B, []*B, error)
	exists(conds []query.Cond[B]) query.Cond[A]
	joins(have func(query.Source) bool) ([]query.JoinClause, error)
	linkStmts(f *dialect.Features, a *A, bs []*B) ([]query.Statement, error)
	pairs(a *A, bs []*B) (query.Condition, error)
	linked(ctx context.Context, ex dialect.Executor, a *A, bs []*B) ([]bool, error)
	same(x, y *B) bool
	reverse() linkOps[B, A]
	through() mapped.Schema
	linksOf(as []*A, bs []*B) (query.Condition, bool)
}

// through is the typed machinery of a ManyToMany with association rows
// of L.
type through[A, L, B any, KA, KB comparable] struct {
	ak    key[A, KA]
	la    key[L, KA]
	lb    key[L, KB]
	bk    key[B, KB]
	links *mapped.Table[L]
}

// ManyToManyThrough declares a many-to-many relation: linkA and linkB are
// the association table's foreign keys, referencing A's key and B's, and
// field A's slice of related B rows. It panics if they are not foreign
// keys of one table, or reference tables whose rows are not A and B.
func ManyToManyThrough[A, L, B any, KA, KB comparable](linkA mapped.Column[L, KA], linkB mapped.Column[L, KB],
	field func(*A) *[]*B) *ManyToMany[A, B] {
	aKey := referencedKey(mapped.Referenced[A](linkA))
	bKey := referencedKey(mapped.Referenced[B](linkB))
	links := linkA.Field().Table()
	if linkB.Field().Table() != links {
		panic(fmt.Sprintf("relation: many-to-many %s ↔ %s: the foreign keys belong to %s and %s, not to one association table",
			aKey.Field().Table(), bKey.Field().Table(), links, linkB.Field().Table()))
	}
	if field == nil {
		panic("relation: ManyToManyThrough: nil field function")
	}
	t := &through[A, L, B, KA, KB]{ak: plainKey(aKey), la: plainKey(linkA), lb: plainKey(linkB), bk: plainKey(bKey), links: links}
	return &ManyToMany[A, B]{ops: t, field: field}
}

// Reverse declares the same relation seen from B, through the same
// association table: Actor's movies from MovieCast.
func (r *ManyToMany[A, B]) Reverse(field func(*B) *[]*A) *ManyToMany[B, A] {
	if field == nil {
		panic("relation: Reverse: nil field function")
	}
	return &ManyToMany[B, A]{ops: r.ops.reverse(), field: field}
}

func (t *through[A, L, B, KA, KB]) through() mapped.Schema { return t.links }

func (t *through[A, L, B, KA, KB]) reverse() linkOps[B, A] {
	return &through[B, L, A, KB, KA]{ak: t.bk, la: t.lb, lb: t.la, bk: t.ak, links: t.links}
}

func (r *ManyToMany[A, B]) variant(fn func(v *ManyToMany[A, B])) *ManyToMany[A, B] {
	v := *r
	v.opts.where = append([]query.Condition(nil), r.opts.where...)
	v.opts.order = append([]query.Ordering(nil), r.opts.order...)
	v.next = append([]Loader[B](nil), r.next...)
	fn(&v)
	return &v
}

// OrderBy returns the relation loading related rows in the given order.
func (r *ManyToMany[A, B]) OrderBy(os ...query.Order[B]) *ManyToMany[A, B] {
	return r.variant(func(v *ManyToMany[A, B]) {
		for _, o := range os {
			v.opts.order = append(v.opts.order, o)
		}
	})
}

// Where returns the relation loading only the related rows matching conds.
func (r *ManyToMany[A, B]) Where(conds ...query.Cond[B]) *ManyToMany[A, B] {
	return r.variant(func(v *ManyToMany[A, B]) {
		for _, c := range conds {
			v.opts.where = append(v.opts.where, c)
		}
	})
}

// Then returns the relation followed by loaders of the related rows.
func (r *ManyToMany[A, B]) Then(next ...Loader[B]) *ManyToMany[A, B] {
	return r.variant(func(v *ManyToMany[A, B]) { v.next = append(v.next, next...) })
}

// Load loads the related rows of every row of as with one statement (a
// join of B with the association table). A row of B related to several
// rows of as is one value shared by their slices.
func (r *ManyToMany[A, B]) Load(ctx context.Context, ex dialect.Executor, as []*A) error {
	if ex == nil {
		return fmt.Errorf("relation: load %s of %s: nil executor", r.ops.bTable().TableName(), r.ops.aTable().TableName())
	}
	id := identityOf(ex)
	as, held := toFill(id, as, func(a *A) bool { return *r.field(a) != nil })
	byA, all, err := r.ops.fetch(ctx, ex, as, &r.opts)
	if err != nil {
		return err
	}
	all, kept, err := identified(ex, r.ops.bTab(), all)
	if err != nil {
		return err
	}
	for _, a := range as {
		if a == nil {
			continue
		}
		bs := keptAll(byA(a), kept)
		if bs == nil {
			bs = []*B{}
		}
		*r.field(a) = bs
		filled(id, r.ops.aTab(), a, r.field(a))
	}
	for _, a := range held {
		all = append(all, *r.field(a)...)
	}
	return runNext(ctx, ex, all, r.next)
}

// Fetch loads the related rows of one row now and returns them.
func (r *ManyToMany[A, B]) Fetch(ctx context.Context, ex dialect.Executor, a *A) ([]*B, error) {
	if a == nil {
		return nil, fmt.Errorf("relation: fetch %s of a nil %s", r.ops.bTable().TableName(), r.ops.aTable().TableName())
	}
	if err := r.Load(ctx, ex, []*A{a}); err != nil {
		return nil, err
	}
	return *r.field(a), nil
}

// Get returns the loaded related rows of a, or ErrNotLoaded.
func (r *ManyToMany[A, B]) Get(a *A) ([]*B, error) {
	if a == nil {
		return nil, fmt.Errorf("relation: get %s of a nil %s", r.ops.bTable().TableName(), r.ops.aTable().TableName())
	}
	bs := *r.field(a)
	if bs == nil {
		return nil, errs.Errorf("%w: %s of %s", ErrNotLoaded, r.ops.bTable().TableName(), r.ops.aTable().TableName())
	}
	return bs, nil
}

// Parent is A's table, the side holding the collection.
func (r *ManyToMany[A, B]) Parent() *mapped.Table[A] { return r.ops.aTab() }

// Child is B's table, the rows in the collection.
func (r *ManyToMany[A, B]) Child() *mapped.Table[B] { return r.ops.bTab() }

// Field returns a's collection field.
func (r *ManyToMany[A, B]) Field(a *A) *[]*B { return r.field(a) }

// Through is the association table, shared by the relation and its
// Reverse.
func (r *ManyToMany[A, B]) Through() mapped.Schema { return r.ops.through() }

// LinkStatements returns the INSERTs of the association rows between a and
// each of bs, for package repo's Link and the unit of work's flush, which
// send them; the rows must have their keys. It writes nothing.
func (r *ManyToMany[A, B]) LinkStatements(f *dialect.Features, a *A, bs []*B) ([]query.Statement, error) {
	if a == nil || slices.Contains(bs, nil) {
		return nil, fmt.Errorf("relation: link %s with %s: nil row", r.ops.aTable().TableName(), r.ops.bTable().TableName())
	}
	return r.ops.linkStmts(f, a, bs)
}

// PairsOf is the condition, on rows of the association table, that they
// link a with one of bs: what package repo's Unlink deletes. a must have
// its key.
func (r *ManyToMany[A, B]) PairsOf(a *A, bs []*B) (query.Condition, error) {
	if a == nil || slices.Contains(bs, nil) {
		return nil, fmt.Errorf("relation: unlink %s from %s: nil row", r.ops.bTable().TableName(), r.ops.aTable().TableName())
	}
	return r.ops.pairs(a, bs)
}

// Same reports whether x and y are the same row of B: their keys are
// equal.
func (r *ManyToMany[A, B]) Same(x, y *B) bool { return r.ops.same(x, y) }

// LinksOf is the condition, on rows of the association table, that they
// link one of as or one of bs (a nil slice stands for none), and false
// when none of those rows has a key.
func (r *ManyToMany[A, B]) LinksOf(as []*A, bs []*B) (query.Condition, bool) {
	return r.ops.linksOf(as, bs)
}

func (t *through[A, L, B, KA, KB]) linksOf(as []*A, bs []*B) (query.Condition, bool) {
	var conds []query.Cond[L]
	if ks := t.ak.keys(as); len(ks) > 0 {
		conds = append(conds, t.la.in(ks))
	}
	if ks := t.bk.keys(bs); len(ks) > 0 {
		conds = append(conds, t.lb.in(ks))
	}
	if len(conds) == 0 {
		return nil, false
	}
	return query.Or(conds...), true
}

// Linked reports, for each of bs, whether an association row relates it
// to a, reading the association table in one statement. The rows must
// have keys.
func (r *ManyToMany[A, B]) Linked(ctx context.Context, ex dialect.Executor, a *A, bs ...*B) ([]bool, error) {
	if ex == nil {
		return nil, fmt.Errorf("relation: linked %s of %s: nil executor", r.ops.bTable().TableName(), r.ops.aTable().TableName())
	}
	if a == nil || slices.Contains(bs, nil) {
		return nil, fmt.Errorf("relation: linked %s of %s: nil row", r.ops.bTable().TableName(), r.ops.aTable().TableName())
	}
	return r.ops.linked(ctx, ex, a, bs)
}

// Any is the condition, on rows of A, that some related row of B matches
// every one of conds.
func (r *ManyToMany[A, B]) Any(conds ...query.Cond[B]) query.Cond[A] { return r.ops.exists(conds) }

// JoinClauses joins the association table and B to a statement reading
// A, or the association table and A to one reading B.
func (r *ManyToMany[A, B]) JoinClauses(have func(query.Source) bool) ([]query.JoinClause, error) {
	return r.ops.joins(have)
}

func (t *through[A, L, B, KA, KB]) aTable() query.Source   { return t.ak.table }
func (t *through[A, L, B, KA, KB]) aTab() *mapped.Table[A] { return t.ak.table }
func (t *through[A, L, B, KA, KB]) bTab() *mapped.Table[B] { return t.bk.table }
func (t *through[A, L, B, KA, KB]) bTable() query.Source   { return t.bk.table }

func (t *through[A, L, B, KA, KB]) same(x, y *B) bool {
	kx, _ := t.bk.get(x)
	ky, _ := t.bk.get(y)
	return kx == ky
}

func (t *through[A, L, B, KA, KB]) fetch(ctx context.Context, ex dialect.Executor, as []*A, o *loadOpts[B]) (func(*A) []*B, []*B, error) {
	keys := t.ak.keys(as)
	groups := make(map[KA][]*B, len(keys))
	byA := func(a *A) []*B {
		k, ok := t.ak.get(a)
		if !ok {
			return nil
		}
		return groups[k]
	}
	if len(keys) == 0 {
		return byA, nil, nil
	}
	b := t.bk.table
	cols := append([]query.Expr{t.la.field}, rowscan.Columns(b)...)
	stmt := &query.Select{Columns: cols, From: b,
		Joined: []query.JoinClause{{Table: t.links, On: query.Equal(t.lb.field, t.bk.field)}},
		Where:  append([]query.Condition{t.la.in(keys)}, o.where...), OrderBy: o.order}
	seen := make(map[KB]*B)
	var all []*B
	var ka KA
	canon := canonical[KA]() // ka is read as stored; the map's keys are canonical
	codec := query.CodecFor[KA]()
	f := ex.Dialect().Features()
	err := rowscan.Select(ctx, ex, "relation", b, stmt, 1, func(_ *B, d []any) { d[0] = codec.Dest(f, &ka) }, func(row *B) {
		kb, _ := t.bk.get(row)
		if prev, ok := seen[kb]; ok {
			row = prev
		} else {
			seen[kb] = row
			all = append(all, row)
		}
		k := ka
		if canon != nil {
			k = canon(ka)
		}
		groups[k] = append(groups[k], row)
	})
	if err != nil {
		return nil, nil, errs.Errorf("relation: load %s of %s: %w", b, t.ak.table, err)
	}
	return byA, all, nil
}

func (t *through[A, L, B, KA, KB]) exists(conds []query.Cond[B]) query.Cond[A] {
	join := query.JoinClause{Table: t.bk.table, On: query.Equal(t.bk.field, t.lb.field)}
	if t.bk.table.TableName() == t.ak.table.TableName() {
		join.Alias = "sub_" + t.bk.table.TableName()
	}
	q := query.ExistsQuery{From: t.links, Outer: t.ak.table, Joins: []query.JoinClause{join},
		Where: []query.Expr{query.Equal(t.la.field, t.ak.qualified())}}
	for _, c := range conds {
		q.Where = append(q.Where, c)
	}
	return query.Exists[A](q)
}

func (t *through[A, L, B, KA, KB]) joins(have func(query.Source) bool) ([]query.JoinClause, error) {
	a, b, l := t.ak.table, t.bk.table, t.links
	switch {
	case a.TableName() == b.TableName():
		return nil, fmt.Errorf("relation: a join of %s with itself cannot go through the relation: read the other side through an alias (query.As) and join it with JoinOn", a)
	case have(a) && !have(b) && !have(l):
		return []query.JoinClause{{Table: l, On: query.Equal(t.la.field, t.ak.field)},
			{Table: b, On: query.Equal(t.bk.field, t.lb.field)}}, nil
	case have(b) && !have(a) && !have(l):
		return []query.JoinClause{{Table: l, On: query.Equal(t.lb.field, t.bk.field)},
			{Table: a, On: query.Equal(t.ak.field, t.la.field)}}, nil
	}
	return nil, fmt.Errorf("relation: cannot join %s ↔ %s here: the statement must read exactly one of them", a, b)
}

// linkRow builds the association row of a and b.
func (t *through[A, L, B, KA, KB]) linkRow(a *A, b *B) (*L, error) {
	if t.ak.field.IsZero(a) || t.bk.field.IsZero(b) {
		return nil, fmt.Errorf("relation: link %s with %s: a row has no key yet; insert it first", t.ak.table, t.bk.table)
	}
	l := new(L)
	ka, _ := t.ak.get(a)
	kb, _ := t.bk.get(b)
	t.la.set(l, ka)
	t.lb.set(l, kb)
	return l, nil
}

// maxLinksPerInsert bounds the rows of one INSERT of association rows,
// whatever the parameter limit allows.
const maxLinksPerInsert = 1000

func (t *through[A, L, B, KA, KB]) linkStmts(f *dialect.Features, a *A, bs []*B) ([]query.Statement, error) {
	fields := t.links.Fields()
	names := make([]string, len(fields))
	for i, fl := range fields {
		names[i] = fl.Name()
	}
	per := max(1, min(maxLinksPerInsert, f.MaxParams/len(fields)))
	var stmts []query.Statement
	for start := 0; start < len(bs); start += per {
		var values []any
		for _, b := range bs[start:min(start+per, len(bs))] {
			l, err := t.linkRow(a, b)
			if err != nil {
				return nil, err
			}
			for _, fl := range fields {
				v, err := fl.Bind(f, l)
				if err != nil {
					return nil, err
				}
				values = append(values, v)
			}
		}
		stmts = append(stmts, &query.Insert{Into: t.links, Columns: names, Values: values})
	}
	return stmts, nil
}

func (t *through[A, L, B, KA, KB]) pairs(a *A, bs []*B) (query.Condition, error) {
	if t.ak.field.IsZero(a) {
		return nil, fmt.Errorf("relation: unlink from %s: the row has no key", t.ak.table)
	}
	ka, _ := t.ak.get(a)
	return query.And(t.la.eq(ka), t.lb.in(t.bk.keys(bs))), nil
}

func (t *through[A, L, B, KA, KB]) linked(ctx context.Context, ex dialect.Executor, a *A, bs []*B) ([]bool, error) {
	out := make([]bool, len(bs))
	if len(bs) == 0 {
		return out, nil
	}
	if t.ak.field.IsZero(a) || slices.ContainsFunc(bs, t.bk.field.IsZero) {
		return nil, fmt.Errorf("relation: linked %s of %s: a row has no key yet; insert it first", t.bk.table, t.ak.table)
	}
	ka, _ := t.ak.get(a)
	stored := map[KB]bool{}
	stmt := &query.Select{Columns: rowscan.Columns(t.links), From: t.links,
		Where: []query.Condition{t.la.eq(ka), t.lb.in(t.bk.keys(bs))}}
	err := rowscan.Select(ctx, ex, "relation", t.links, stmt, 0, nil, func(l *L) {
		kb, _ := t.lb.get(l)
		stored[kb] = true
	})
	if err != nil {
		return nil, errs.Errorf("relation: linked %s of %s: %w", t.bk.table, t.ak.table, err)
	}
	for i, b := range bs {
		kb, _ := t.bk.get(b)
		out[i] = stored[kb]
	}
	return out, nil
}

var (
	_ Loader[int]        = (*ManyToMany[int, int])(nil)
	_ query.Relationship = (*ManyToMany[int, int])(nil)
)
