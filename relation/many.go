package relation

import (
	"context"
	"fmt"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
)

// OneToMany is the relation from a parent row to the child rows whose
// foreign key holds its key: an artist's tracks. The children live in a
// slice field of the parent; a nil slice means not loaded, and loading
// stores a non-nil slice, empty when there are no children.
//
// A OneToMany is declared once, usually in a package-level variable, and
// is safe for concurrent use. OrderBy, Where, Limit and Then return
// variants for loading, sharing the declaration.
type OneToMany[P, C any] struct {
	ops   fanoutOps[P, C]
	field func(*P) *[]*C
	back  func(*C) **P
	opts  loadOpts[C]
	next  []Loader[C]
}

// HasMany declares a one-to-many relation: fk is the child's foreign key,
// whose declaration names the parent's key it references (with the same
// value type, as the compiler checked there), and field the parent's slice
// of children. It panics if fk is not a foreign key, or references a table
// whose rows are not P.
func HasMany[P, C any, K comparable](fk mapped.Column[C, K], field func(*P) *[]*C) *OneToMany[P, C] {
	key := referencedKey(mapped.Referenced[P](fk))
	return newOneToMany(&fanout[P, C, K]{pk: plainKey(key), fk: plainKey(fk)}, field)
}

// HasManyNullable declares a one-to-many relation over a nullable foreign
// key: children whose key is NULL belong to no parent. It is the form to
// use with a SET NULL cascade (model.OnDelete), and for self-referential
// trees (an employee's reports).
func HasManyNullable[P, C any, K comparable](fk mapped.NullableColumn[C, K], field func(*P) *[]*C) *OneToMany[P, C] {
	key := referencedKey(mapped.ReferencedNullable[P](fk))
	return newOneToMany(&fanout[P, C, K]{pk: plainKey(key), fk: nullableKey(fk.Column)}, field)
}

func newOneToMany[P, C any](ops fanoutOps[P, C], field func(*P) *[]*C) *OneToMany[P, C] {
	if field == nil {
		panic(fmt.Sprintf("relation: %s → %s: nil field function", ops.parentTable(), ops.childTable()))
	}
	return &OneToMany[P, C]{ops: ops, field: field}
}

// Back names the child's pointer to its parent, SQLAlchemy's
// back_populates: loading the children also sets each one's parent.
// Call it when declaring the relation.
func (r *OneToMany[P, C]) Back(field func(*C) **P) *OneToMany[P, C] {
	r.back = field
	return r
}

// Inverse returns the many-to-one relation from a child to its parent over
// the same foreign key, through the child's pointer named by Back, which
// must be declared first: the relation seen from the other side, declared
// once.
//
//	var ArtistTracks = relation.HasMany(Tracks.ArtistID, func(a *Artist) *[]*Track { return &a.Tracks }).
//		Back(func(t *Track) **Artist { return &t.Artist })
//	var TrackArtist = ArtistTracks.Inverse()
//
// It panics when no Back pointer is declared.
func (r *OneToMany[P, C]) Inverse() *ManyToOne[C, P] {
	if r.back == nil {
		panic(fmt.Sprintf("relation: Inverse of %s → %s: declare the child's pointer with Back first",
			r.ops.parentTable().TableName(), r.ops.childTable().TableName()))
	}
	return newManyToOne(r.ops.inverse(), r.back)
}

// Parent is the parent table.
func (r *OneToMany[P, C]) Parent() *mapped.Table[P] { return r.ops.parentTable() }

// Child is the child table.
func (r *OneToMany[P, C]) Child() *mapped.Table[C] { return r.ops.childTable() }

// Field returns the parent's collection field.
func (r *OneToMany[P, C]) Field(p *P) *[]*C { return r.field(p) }

// ChildrenOfAll is the condition selecting the stored children of any of
// parents, and false when none of them has a key.
func (r *OneToMany[P, C]) ChildrenOfAll(parents []*P) (query.Cond[C], bool) {
	return r.ops.childrenOfAll(parents)
}

// ChildrenOf is the condition selecting the stored children of parent,
// and false when parent has no key yet.
func (r *OneToMany[P, C]) ChildrenOf(parent *P) (query.Cond[C], bool) {
	return r.ops.childrenOf(parent)
}

// Adopt sets child's foreign key to parent's key, without writing it.
func (r *OneToMany[P, C]) Adopt(child *C, parent *P) { r.ops.adopt(child, parent) }

// Release sets child's foreign key to NULL, without writing it; it does
// nothing on a NOT NULL key.
func (r *OneToMany[P, C]) Release(child *C) {
	if r.ops.nullableFK() {
		r.ops.clear(child)
	}
}

// BackField returns the child's pointer to its parent named by Back, or
// nil when the relation declares none.
func (r *OneToMany[P, C]) BackField(child *C) **P {
	if r.back == nil {
		return nil
	}
	return r.back(child)
}

// ForeignKey is the child's foreign-key column.
func (r *OneToMany[P, C]) ForeignKey() *mapped.Field[C] { return r.ops.fkField() }

// Nullable reports whether the foreign key may be NULL.
func (r *OneToMany[P, C]) Nullable() bool { return r.ops.nullableFK() }

// BelongsTo reports whether child's foreign key holds parent's key.
func (r *OneToMany[P, C]) BelongsTo(child *C, parent *P) bool { return r.ops.belongsTo(child, parent) }

func (r *OneToMany[P, C]) variant(fn func(v *OneToMany[P, C])) *OneToMany[P, C] {
	v := *r
	v.opts.where = append([]query.Condition(nil), r.opts.where...)
	v.opts.order = append([]query.Ordering(nil), r.opts.order...)
	v.next = append([]Loader[C](nil), r.next...)
	fn(&v)
	return &v
}

// OrderBy returns the relation loading children in the given order.
func (r *OneToMany[P, C]) OrderBy(os ...query.Order[C]) *OneToMany[P, C] {
	return r.variant(func(v *OneToMany[P, C]) {
		for _, o := range os {
			v.opts.order = append(v.opts.order, o)
		}
	})
}

// Where returns the relation loading only the children matching conds.
// The collection then holds a subset: saving it would treat the others as
// removed, so a filtered collection must not be saved.
func (r *OneToMany[P, C]) Where(conds ...query.Cond[C]) *OneToMany[P, C] {
	return r.variant(func(v *OneToMany[P, C]) {
		for _, c := range conds {
			v.opts.where = append(v.opts.where, c)
		}
	})
}

// Limit returns the relation loading at most n children per parent, the
// first in the relation's order ("the 3 newest tracks of each artist"),
// with a window function, still in one statement.
func (r *OneToMany[P, C]) Limit(n int64) *OneToMany[P, C] {
	return r.variant(func(v *OneToMany[P, C]) { v.opts.limit = n })
}

// Then returns the relation followed by loaders of the children:
// ArtistAlbums.Then(AlbumTracks) loads albums, then their tracks, one
// statement per level.
func (r *OneToMany[P, C]) Then(next ...Loader[C]) *OneToMany[P, C] {
	return r.variant(func(v *OneToMany[P, C]) { v.next = append(v.next, next...) })
}

// Load loads the children of every parent with one statement, whatever
// the number of parents (their keys travel as one array parameter on
// PostgreSQL; on SQLite as a placeholder each up to 500 keys, as one JSON
// parameter beyond), stores them in each parent's field, sets their
// back-references, and runs the nested loaders on all of them. On an
// Identity (a unit of work's transaction) the children are the unit's
// rows.
func (r *OneToMany[P, C]) Load(ctx context.Context, ex dialect.Executor, parents []*P) error {
	if ex == nil {
		return fmt.Errorf("relation: load %s of %s: nil executor", r.ops.childTable().TableName(), r.ops.parentTable().TableName())
	}
	if r.opts.limit < 0 {
		return fmt.Errorf("relation: negative limit %d", r.opts.limit)
	}
	id := identityOf(ex)
	parents, held := toFill(id, parents, func(p *P) bool { return *r.field(p) != nil })
	byParent, all, err := r.ops.fetch(ctx, ex, parents, &r.opts)
	if err != nil {
		return err
	}
	all, kept, err := identified(ex, r.ops.childTable(), all)
	if err != nil {
		return err
	}
	for _, p := range parents {
		if p == nil {
			continue
		}
		cs := keptAll(byParent(p), kept)
		if cs == nil {
			cs = []*C{}
		}
		*r.field(p) = cs
		filled(id, r.ops.parentTable(), p, r.field(p))
		if r.back != nil {
			for _, c := range cs {
				setBack(id, r.ops.childTable(), c, r.back(c), p)
			}
		}
	}
	for _, p := range held {
		all = append(all, *r.field(p)...)
	}
	return runNext(ctx, ex, all, r.next)
}

func runNext[C any](ctx context.Context, ex dialect.Executor, rows []*C, next []Loader[C]) error {
	for _, l := range next {
		if err := l.Load(ctx, ex, rows); err != nil {
			return err
		}
	}
	return nil
}

// Fetch loads the children of one parent now (explicit lazy loading),
// stores them in its field and returns them.
func (r *OneToMany[P, C]) Fetch(ctx context.Context, ex dialect.Executor, parent *P) ([]*C, error) {
	if parent == nil {
		return nil, fmt.Errorf("relation: fetch %s of a nil %s", r.ops.childTable(), r.ops.parentTable())
	}
	if err := r.Load(ctx, ex, []*P{parent}); err != nil {
		return nil, err
	}
	return *r.field(parent), nil
}

// Get returns the loaded children of parent, or ErrNotLoaded when they
// were never loaded.
func (r *OneToMany[P, C]) Get(parent *P) ([]*C, error) {
	if parent == nil {
		return nil, fmt.Errorf("relation: get %s of a nil %s", r.ops.childTable().TableName(), r.ops.parentTable().TableName())
	}
	cs := *r.field(parent)
	if cs == nil {
		return nil, errs.Errorf("%w: %s of %s", ErrNotLoaded, r.ops.childTable(), r.ops.parentTable())
	}
	return cs, nil
}

// Any is the condition, on parents, that some child matches every one of
// conds (or that a child exists, with none): an EXISTS subquery, SQLAlchemy's
// any(). ArtistTracks.Any(Tracks.Title.Like("%Love%")) is a Cond[Artist].
func (r *OneToMany[P, C]) Any(conds ...query.Cond[C]) query.Cond[P] { return r.ops.exists(conds) }

// JoinClauses joins the child table to a statement reading the parent
// table, or the reverse.
func (r *OneToMany[P, C]) JoinClauses(have func(query.Source) bool) ([]query.JoinClause, error) {
	return r.ops.joins(have)
}

// OneToOne is the relation from a parent row to the one child row whose
// unique foreign key holds its key: a person's mobile phone. The child
// lives in a pointer field of the parent; Get tells a parent with no child
// from one never loaded.
type OneToOne[P, C any] struct {
	ops   fanoutOps[P, C]
	field func(*P) **C
	back  func(*C) **P
	next  []Loader[C]
}

// HasOne declares a one-to-one relation: fk is the child's foreign key,
// referencing the parent's key (declare it Unique), and field the
// parent's pointer to the child. It panics if fk is not a unique foreign
// key, or references a table whose rows are not P.
func HasOne[P, C any, K comparable](fk mapped.Column[C, K], field func(*P) **C) *OneToOne[P, C] {
	key := referencedKey(mapped.Referenced[P](fk))
	soleKey := fk.Field().Info().PrimaryKey && len(fk.Field().Table().PrimaryKey()) == 1
	if !fk.Field().Info().Unique && !soleKey {
		panic(fmt.Sprintf("relation: %s.%s: a one-to-one foreign key must be unique (mapped.Unique())",
			fk.Field().Table(), fk.Field().Name()))
	}
	if field == nil {
		panic("relation: HasOne: nil field function")
	}
	return &OneToOne[P, C]{ops: &fanout[P, C, K]{pk: plainKey(key), fk: plainKey(fk)}, field: field}
}

// Back names the child's pointer to its parent: loading sets it too.
func (r *OneToOne[P, C]) Back(field func(*C) **P) *OneToOne[P, C] {
	r.back = field
	return r
}

// Then returns the relation followed by loaders of the child.
func (r *OneToOne[P, C]) Then(next ...Loader[C]) *OneToOne[P, C] {
	v := *r
	v.next = append(append([]Loader[C](nil), r.next...), next...)
	return &v
}

// Load loads the child of every parent with one statement.
func (r *OneToOne[P, C]) Load(ctx context.Context, ex dialect.Executor, parents []*P) error {
	if ex == nil {
		return fmt.Errorf("relation: load %s of %s: nil executor", r.ops.childTable().TableName(), r.ops.parentTable().TableName())
	}
	id := identityOf(ex)
	parents, held := toFill(id, parents, func(p *P) bool { return *r.field(p) != nil })
	byParent, all, err := r.ops.fetch(ctx, ex, parents, &loadOpts[C]{})
	if err != nil {
		return err
	}
	all, kept, err := identified(ex, r.ops.childTable(), all)
	if err != nil {
		return err
	}
	for _, p := range parents {
		if p == nil {
			continue
		}
		cs := keptAll(byParent(p), kept)
		if len(cs) > 1 {
			return fmt.Errorf("relation: one-to-one %s → %s found %d rows for one parent",
				r.ops.parentTable(), r.ops.childTable(), len(cs))
		}
		var c *C
		if len(cs) == 1 {
			c = cs[0]
			if r.back != nil {
				setBack(id, r.ops.childTable(), c, r.back(c), p)
			}
		}
		*r.field(p) = c
		filled(id, r.ops.parentTable(), p, r.field(p))
	}
	for _, p := range held {
		all = append(all, *r.field(p))
	}
	return runNext(ctx, ex, all, r.next)
}

// Fetch loads the child of one parent now and returns it (nil when there
// is none).
func (r *OneToOne[P, C]) Fetch(ctx context.Context, ex dialect.Executor, parent *P) (*C, error) {
	if parent == nil {
		return nil, fmt.Errorf("relation: fetch %s of a nil %s", r.ops.childTable(), r.ops.parentTable())
	}
	if err := r.Load(ctx, ex, []*P{parent}); err != nil {
		return nil, err
	}
	return *r.field(parent), nil
}

// Get returns the child that parent's pointer holds, and ErrNotLoaded when
// it holds none: a nil pointer cannot tell a child looked for and not
// found from one never loaded, and the relation keeps no memory of past
// loads, so Get refuses rather than answer "none" for a row never loaded.
// Fetch asks the database, and returns nil with a nil error when there is
// no child.
func (r *OneToOne[P, C]) Get(parent *P) (*C, error) {
	if parent == nil {
		return nil, fmt.Errorf("relation: get %s of a nil %s", r.ops.childTable().TableName(), r.ops.parentTable().TableName())
	}
	if c := *r.field(parent); c != nil {
		return c, nil
	}
	return nil, errs.Errorf("%w: %s of %s (or it has none)", ErrNotLoaded, r.ops.childTable(), r.ops.parentTable())
}

// Inverse returns the many-to-one relation from the child to its parent
// over the same foreign key, through the child's pointer named by Back
// (which must be declared first), with the parent's pointer as its
// BackOne. It panics when no Back pointer is declared.
func (r *OneToOne[P, C]) Inverse() *ManyToOne[C, P] {
	if r.back == nil {
		panic(fmt.Sprintf("relation: Inverse of %s → %s: declare the child's pointer with Back first",
			r.ops.parentTable().TableName(), r.ops.childTable().TableName()))
	}
	m := newManyToOne(r.ops.inverse(), r.back)
	m.back = r.field
	return m
}

// Parent is the parent table.
func (r *OneToOne[P, C]) Parent() *mapped.Table[P] { return r.ops.parentTable() }

// Child is the child table, which holds the foreign key.
func (r *OneToOne[P, C]) Child() *mapped.Table[C] { return r.ops.childTable() }

// ChildrenOfAll is the condition selecting the stored children of any of
// parents, and false when none of them has a key.
func (r *OneToOne[P, C]) ChildrenOfAll(parents []*P) (query.Cond[C], bool) {
	return r.ops.childrenOfAll(parents)
}

// Nullable reports whether the foreign key is nullable: false, for a
// one-to-one key is NOT NULL.
func (r *OneToOne[P, C]) Nullable() bool { return r.ops.nullableFK() }

// Field returns the parent's pointer field to its child.
func (r *OneToOne[P, C]) Field(parent *P) **C { return r.field(parent) }

// BackField returns the child's pointer to its parent named by Back, or
// nil when the relation declares none.
func (r *OneToOne[P, C]) BackField(child *C) **P {
	if r.back == nil {
		return nil
	}
	return r.back(child)
}

// ForeignKey is the child's foreign-key column.
func (r *OneToOne[P, C]) ForeignKey() *mapped.Field[C] { return r.ops.fkField() }

// Adopt sets child's foreign key to parent's key, without writing it.
func (r *OneToOne[P, C]) Adopt(child *C, parent *P) { r.ops.adopt(child, parent) }

// BelongsTo reports whether child's foreign key holds parent's key.
func (r *OneToOne[P, C]) BelongsTo(child *C, parent *P) bool { return r.ops.belongsTo(child, parent) }

// Has is the condition, on parents, that the child exists and matches
// every one of conds.
func (r *OneToOne[P, C]) Has(conds ...query.Cond[C]) query.Cond[P] { return r.ops.exists(conds) }

// JoinClauses joins the child table to a statement reading the parent
// table, or the reverse.
func (r *OneToOne[P, C]) JoinClauses(have func(query.Source) bool) ([]query.JoinClause, error) {
	return r.ops.joins(have)
}

var (
	_ Loader[int]        = (*OneToMany[int, int])(nil)
	_ Loader[int]        = (*OneToOne[int, int])(nil)
	_ query.Relationship = (*OneToMany[int, int])(nil)
	_ query.Relationship = (*OneToOne[int, int])(nil)
)
