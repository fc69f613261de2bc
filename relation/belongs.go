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

// ManyToOne is the relation from a child row to the parent row its foreign
// key references: a track's artist. The parent lives in a pointer field of
// the child. A nil pointer with a non-NULL foreign key means not loaded;
// with a NULL key there is no parent.
//
// A ManyToOne is declared once and is safe for concurrent use.
type ManyToOne[C, P any] struct {
	ops   backOps[C, P]
	field func(*C) **P
	back  func(*P) **C
	next  []Loader[P]
}

// backOps is belongs with its key type erased.
type backOps[C, P any] interface {
	childTable() *mapped.Table[C]
	parentTable() *mapped.Table[P]
	fetch(ctx context.Context, ex dialect.Executor, children []*C) (func(*C) (*P, bool), []*P, error)
	exists(conds []query.Cond[P]) query.Cond[C]
	joins(have func(query.Source) bool) ([]query.JoinClause, error)
	hasKey(c *C) bool
	assign(f *dialect.Features, p *P) (query.Assignment, error)
	adopt(c *C, p *P)
	clear(c *C)
	nullable() bool
	fkField() *mapped.Field[C]
}

// belongs is the typed machinery of a ManyToOne.
type belongs[C, P any, K comparable] struct {
	fk key[C, K]
	pk key[P, K]
}

// BelongsTo declares a many-to-one relation: fk is the child's foreign
// key, whose declaration names the parent's key it references (with the
// same value type, as the compiler checked there), and field the child's
// pointer to its parent. It panics if fk is not a foreign key, or
// references a table whose rows are not P.
func BelongsTo[C, P any, K comparable](fk mapped.Column[C, K], field func(*C) **P) *ManyToOne[C, P] {
	key := referencedKey(mapped.Referenced[P](fk))
	return newManyToOne(&belongs[C, P, K]{fk: plainKey(fk), pk: plainKey(key)}, field)
}

// BelongsToNullable declares a many-to-one relation over a nullable
// foreign key, such as an employee's manager.
func BelongsToNullable[C, P any, K comparable](fk mapped.NullableColumn[C, K], field func(*C) **P) *ManyToOne[C, P] {
	key := referencedKey(mapped.ReferencedNullable[P](fk))
	return newManyToOne(&belongs[C, P, K]{fk: nullableKey(fk.Column), pk: plainKey(key)}, field)
}

func newManyToOne[C, P any](ops backOps[C, P], field func(*C) **P) *ManyToOne[C, P] {
	if field == nil {
		panic(fmt.Sprintf("relation: %s → %s: nil field function", ops.childTable(), ops.parentTable()))
	}
	return &ManyToOne[C, P]{ops: ops, field: field}
}

// BackOne names the parent's pointer to this child, for a one-to-one
// pair: loading the parent of each child also sets the parent's pointer
// back. (A collection on the parent side is never filled by loading
// parents, since it would hold only the children at hand.)
func (r *ManyToOne[C, P]) BackOne(field func(*P) **C) *ManyToOne[C, P] {
	r.back = field
	return r
}

// Parent is the parent table.
func (r *ManyToOne[C, P]) Parent() *mapped.Table[P] { return r.ops.parentTable() }

// Child is the child table, which holds the foreign key.
func (r *ManyToOne[C, P]) Child() *mapped.Table[C] { return r.ops.childTable() }

// Field returns the child's pointer field to its parent.
func (r *ManyToOne[C, P]) Field(child *C) **P { return r.field(child) }

// BackField returns the parent's pointer to the child named by BackOne,
// or nil when the relation declares none.
func (r *ManyToOne[C, P]) BackField(parent *P) **C {
	if r.back == nil {
		return nil
	}
	return r.back(parent)
}

// ForeignKey is the child's foreign-key column.
func (r *ManyToOne[C, P]) ForeignKey() *mapped.Field[C] { return r.ops.fkField() }

// Nullable reports whether the foreign key may be NULL.
func (r *ManyToOne[C, P]) Nullable() bool { return r.ops.nullable() }

// Adopt sets child's foreign key to parent's key, without writing it.
func (r *ManyToOne[C, P]) Adopt(child *C, parent *P) { r.ops.adopt(child, parent) }

// Release sets child's foreign key to NULL, without writing it; it does
// nothing on a NOT NULL key.
func (r *ManyToOne[C, P]) Release(child *C) { r.ops.clear(child) }

// Then returns the relation followed by loaders of the parents.
func (r *ManyToOne[C, P]) Then(next ...Loader[P]) *ManyToOne[C, P] {
	v := *r
	v.next = append(append([]Loader[P](nil), r.next...), next...)
	return &v
}

// Load loads the parents of every child with one statement, each parent
// once however many children share it.
func (r *ManyToOne[C, P]) Load(ctx context.Context, ex dialect.Executor, children []*C) error {
	if ex == nil {
		return fmt.Errorf("relation: load %s of %s: nil executor", r.ops.parentTable().TableName(), r.ops.childTable().TableName())
	}
	id := identityOf(ex)
	children, held := toFill(id, children, func(c *C) bool { return *r.field(c) != nil })
	parentOf, all, err := r.ops.fetch(ctx, ex, children)
	if err != nil {
		return err
	}
	all, kept, err := identified(ex, r.ops.parentTable(), all)
	if err != nil {
		return err
	}
	for _, c := range children {
		if c == nil {
			continue
		}
		p, ok := parentOf(c)
		if !ok {
			*r.field(c) = nil
			continue
		}
		if kept != nil && p != nil {
			p = kept(p)
		}
		*r.field(c) = p
		filled(id, r.ops.childTable(), c, r.field(c))
		if r.back != nil && p != nil {
			setBack(id, r.ops.parentTable(), p, r.back(p), c)
		}
	}
	for _, c := range held {
		all = append(all, *r.field(c))
	}
	return runNext(ctx, ex, all, r.next)
}

// Fetch loads the parent of one child now and returns it (nil when its
// foreign key is NULL).
func (r *ManyToOne[C, P]) Fetch(ctx context.Context, ex dialect.Executor, child *C) (*P, error) {
	if child == nil {
		return nil, fmt.Errorf("relation: fetch %s of a nil %s", r.ops.parentTable(), r.ops.childTable())
	}
	if err := r.Load(ctx, ex, []*C{child}); err != nil {
		return nil, err
	}
	return *r.field(child), nil
}

// Get returns the loaded parent of child: nil with a nil error when the
// foreign key is NULL, ErrNotLoaded when the parent was never loaded.
func (r *ManyToOne[C, P]) Get(child *C) (*P, error) {
	if child == nil {
		return nil, fmt.Errorf("relation: get %s of a nil %s", r.ops.parentTable().TableName(), r.ops.childTable().TableName())
	}
	if p := *r.field(child); p != nil {
		return p, nil
	}
	if !r.ops.hasKey(child) {
		return nil, nil
	}
	return nil, errs.Errorf("%w: %s of %s", ErrNotLoaded, r.ops.parentTable(), r.ops.childTable())
}

// KeyAssignment is the assignment of the child's foreign key to parent's
// key, or to NULL when parent is nil: what package repo's SetParent and
// ClearParent write. It refuses a parent without a key and NULL for a NOT
// NULL key. It writes nothing.
func (r *ManyToOne[C, P]) KeyAssignment(f *dialect.Features, parent *P) (query.Assignment, error) {
	return r.ops.assign(f, parent)
}

func (b *belongs[C, P, K]) assign(f *dialect.Features, p *P) (query.Assignment, error) {
	if p == nil {
		if !b.fk.nullable {
			return query.Assignment{}, fmt.Errorf("relation: clear %s of %s: the foreign key is NOT NULL", b.pk.table, b.fk.table)
		}
		return query.Assignment{Column: b.fk.field.Name(), Value: query.Raw("NULL")}, nil
	}
	if b.pk.field.IsZero(p) {
		return query.Assignment{}, fmt.Errorf("relation: set %s of %s: the %s has no key yet; insert it first",
			b.pk.table, b.fk.table, b.pk.table)
	}
	k, _ := b.pk.get(p)
	arg, err := query.CodecFor[K]().Bind(f, k)
	if err != nil {
		return query.Assignment{}, err
	}
	return query.Assignment{Column: b.fk.field.Name(), Value: query.Raw("?", arg)}, nil
}

// Has is the condition, on children, that the parent exists and matches
// every one of conds: TrackArtist.Has(Artists.Name.Gt("B")) is a
// Cond[Track] (EXISTS; SQLAlchemy's has()).
func (r *ManyToOne[C, P]) Has(conds ...query.Cond[P]) query.Cond[C] { return r.ops.exists(conds) }

// JoinClauses joins the parent table to a statement reading the child
// table, or the reverse.
func (r *ManyToOne[C, P]) JoinClauses(have func(query.Source) bool) ([]query.JoinClause, error) {
	return r.ops.joins(have)
}

func (b *belongs[C, P, K]) childTable() *mapped.Table[C]  { return b.fk.table }
func (b *belongs[C, P, K]) parentTable() *mapped.Table[P] { return b.pk.table }
func (b *belongs[C, P, K]) nullable() bool                { return b.fk.nullable }
func (b *belongs[C, P, K]) fkField() *mapped.Field[C]     { return b.fk.field }

func (b *belongs[C, P, K]) adopt(c *C, p *P) {
	k, _ := b.pk.get(p)
	b.fk.set(c, k)
}

func (b *belongs[C, P, K]) clear(c *C) {
	if b.fk.nullable {
		b.fk.clear(c)
	}
}

func (b *belongs[C, P, K]) hasKey(c *C) bool {
	_, ok := b.fk.get(c)
	return ok
}

func (b *belongs[C, P, K]) fetch(ctx context.Context, ex dialect.Executor, children []*C) (func(*C) (*P, bool), []*P, error) {
	keys := b.fk.keys(children)
	byKey := make(map[K]*P, len(keys))
	var all []*P
	parentOf := func(c *C) (*P, bool) {
		k, ok := b.fk.get(c)
		if !ok {
			return nil, false
		}
		return byKey[k], true
	}
	if len(keys) == 0 {
		return parentOf, nil, nil
	}
	parent := b.pk.table
	stmt := &query.Select{Columns: rowscan.Columns(parent), From: parent, Where: []query.Condition{b.pk.in(keys)}}
	err := rowscan.Select(ctx, ex, "relation", parent, stmt, 0, nil, func(p *P) {
		k, _ := b.pk.get(p)
		byKey[k] = p
		all = append(all, p)
	})
	if err != nil {
		return nil, nil, errs.Errorf("relation: load %s of %s: %w", parent.TableName(), b.fk.table.TableName(), err)
	}
	return parentOf, all, nil
}

func (b *belongs[C, P, K]) exists(conds []query.Cond[P]) query.Cond[C] {
	q := query.ExistsQuery{From: b.pk.table, Outer: b.fk.table,
		Where: []query.Expr{query.Equal(b.pk.field, b.fk.qualified())}}
	if b.pk.table.TableName() == b.fk.table.TableName() {
		q.Alias = "sub_" + b.pk.table.TableName()
	}
	for _, c := range conds {
		q.Where = append(q.Where, c)
	}
	return query.Exists[C](q)
}

func (b *belongs[C, P, K]) joins(have func(query.Source) bool) ([]query.JoinClause, error) {
	return joinPair(have, b.fk.table, b.pk.table, query.Equal(b.fk.field, b.pk.field))
}

var (
	_ Loader[int]        = (*ManyToOne[int, int])(nil)
	_ query.Relationship = (*ManyToOne[int, int])(nil)
)
