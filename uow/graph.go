package uow

import (
	"context"
	"fmt"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
	"github.com/genrepo/genrepo/internal/rowscan"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/relation"
)

// Follow is the part of a model (model.New) by which units of work on a
// handle bound to it follow rel, SQLAlchemy's save-update cascade:
//
//	var Music = model.MustNew(model.Tables(Artists, Tracks), uow.Follow(ArtistTracks))
//
// A unit that writes a parent then writes the children in its loaded
// collection too: children the unit does not know yet are added with it,
// and each child's foreign key is set from its parent's key at the flush,
// after the parent's INSERT has filled in a generated key. A child whose
// Back pointer names a parent is treated the same way. Children taken out
// of a loaded collection are deleted when the model declares
// model.DeleteOrphans for rel, and
// otherwise released (their foreign key set to NULL; on a NOT NULL key the
// flush fails before writing anything). Rows that Find loads through rel
// (repo.Query.Load) become the unit's, one *T per key like any other.
//
// A model that follows a relation twice (the same declaration, or a
// second one over the same foreign key from the same side) is refused by
// model.New, naming it: a flush would write each change twice.
func Follow[P, C any](rel *relation.OneToMany[P, C]) model.Part {
	if rel == nil {
		return model.Follow(nil)
	}
	return model.Follow(&manyEdge[P, C]{ends: endsOf(rel.Parent(), rel.Child(), rel.ForeignKey()), r: rel,
		back: pointer[C, P](rel.BackField)})
}

// Owns is the part of a model by which parents own the children of rel,
// SQLAlchemy's cascade="all, delete-orphan": units follow rel (Follow),
// deleting a parent deletes its children (model.OnDelete with
// mapped.Cascade), and a child taken out of a loaded collection is deleted
// (model.DeleteOrphans).
func Owns[P, C any](rel *relation.OneToMany[P, C]) model.Part {
	if rel == nil {
		return model.Follow(nil)
	}
	return model.Group(Follow(rel), model.OnDelete(rel, mapped.Cascade), model.DeleteOrphans(rel))
}

// FollowParent is Follow for a many-to-one relation: a unit that writes a
// child writes the parent its pointer names too, adding it when the unit
// does not know it, and sets the child's foreign key from the parent's key
// at the flush; setting the pointer to nil on a loaded child sets its
// foreign key to NULL (refused before anything is written on a NOT NULL
// key). A BackOne pointer on the parent is followed the same way.
func FollowParent[C, P any](rel *relation.ManyToOne[C, P]) model.Part {
	if rel == nil {
		return model.Follow(nil)
	}
	return model.Follow(&parentEdge[C, P]{ends: endsOf(rel.Parent(), rel.Child(), rel.ForeignKey()), r: rel,
		field: pointer[C, P](rel.Field), backOne: pointer[P, C](rel.BackField)})
}

// FollowOne is Follow for a one-to-one relation: a unit that writes a
// parent writes the child its pointer names too, adding it when the unit
// does not know it, with the parent's key as its foreign key; a child
// whose Back pointer names a parent is treated the same way. A child
// replaced or taken away (the parent's pointer set to nil after it was
// loaded) is deleted: the foreign key of a one-to-one relation is NOT
// NULL and unique, so the child cannot stay without its parent. Since a
// flush inserts before it deletes, replacing a stored child by a new one
// in one flush breaks the unique key: flush after taking the old child
// away, then set the new one.
func FollowOne[P, C any](rel *relation.OneToOne[P, C]) model.Part {
	if rel == nil {
		return model.Follow(nil)
	}
	return model.Follow(&oneEdge[P, C]{ends: endsOf(rel.Parent(), rel.Child(), rel.ForeignKey()), r: rel,
		field: pointer[P, C](rel.Field), back: pointer[C, P](rel.BackField)})
}

// FollowManyToMany is Follow for a many-to-many relation, seen from the
// side holding the collection: a unit that writes a row of A writes the
// rows of B in its loaded collection too, adding those it does not know,
// and at the flush inserts the association rows of the pairs new to the
// collection (once both rows have their keys) and deletes those of the
// rows taken out of it; the rows of B themselves stay. Follow one side of
// a relation and its Reverse only: following both, or two relations
// through the same association table, would write each pair twice and
// is refused by model.New.
func FollowManyToMany[A, B any](rel *relation.ManyToMany[A, B]) model.Part {
	if rel == nil {
		return model.Follow(nil)
	}
	return model.Follow(&pairEdge[A, B]{ends: ends[A, B]{parent: rel.Parent(), child: rel.Child()}, r: rel})
}

// edge is a followed relation with its row types erased: how a flush finds
// the rows related to the ones it writes and sets their foreign keys. Rows
// are *P and *C in interface values. Edges are pointers, comparable, for
// they key maps.
type edge interface {
	parentTable(u *Unit) tracker
	childTable(u *Unit) tracker
	schemas() (parent, child mapped.Schema)
	// fk is the child's foreign key, which two edges may share.
	fk() *mapped.ColumnInfo
	// children returns the rows in parent's collection (or its pointer to
	// the child), and false when it is not loaded (nil).
	children(parent any) ([]any, bool)
	mapChildren(parent any, fn func(any) any)
	// parentOf returns child's pointer to its parent, and false when the
	// relation gives the child no such field.
	parentOf(child any) (any, bool)
	mapParent(child any, fn func(any) any)
	// copyLoaded copies the relation's fields of from into to where to's
	// are not loaded, reporting whether it filled to's side as a parent
	// (its collection, or its pointer to the child) and as a child (its
	// pointer to the parent).
	copyLoaded(from, to any) (asParent, asChild bool)
	// fieldOf returns the address of row's field of the relation: its
	// collection or pointer to the child as the parent (child false), its
	// pointer to the parent as the child; nil when it has none.
	fieldOf(row any, child bool) any
	adopt(child, parent any)
	// populate sets child's pointer to parent (Back), as SQLAlchemy's
	// back_populates does, to nil for a nil parent, returning what puts
	// the old pointer back; nil when the relation gives the child no such
	// pointer, or it is the one the relation was followed through.
	populate(child, parent any) func()
	// release sets child's foreign key to NULL, reporting false on a NOT
	// NULL key; releasable reports whether it can.
	release(child any) bool
	releasable() bool
	belongs(child, parent any) bool
	// orphans reports whether children taken out of the relation are
	// deleted by the model m rather than released.
	orphans(m *model.Model) bool
	model.Follower
}

// edgesOf returns the relations followed by the model of u's handle that
// have s on either side.
func edgesOf(u *Unit, s mapped.Schema) []edge {
	fs := u.model.Followers(s)
	out := make([]edge, 0, len(fs))
	for _, f := range fs {
		if e, ok := f.(edge); ok {
			out = append(out, e)
		}
	}
	return out
}

// ends is what every edge knows of its tables.
type ends[P, C any] struct {
	parent *mapped.Table[P]
	child  *mapped.Table[C]
	fkInfo *mapped.ColumnInfo
}

func endsOf[P, C any](parent *mapped.Table[P], child *mapped.Table[C], fk *mapped.Field[C]) ends[P, C] {
	return ends[P, C]{parent, child, fk.Info()}
}

func (e ends[P, C]) parentTable(u *Unit) tracker { return tableOf(u, e.parent) }
func (e ends[P, C]) childTable(u *Unit) tracker  { return tableOf(u, e.child) }
func (e ends[P, C]) schemas() (mapped.Schema, mapped.Schema) {
	return e.parent, e.child
}
func (e ends[P, C]) Ends() (mapped.Schema, mapped.Schema) { return e.parent, e.child }
func (e ends[P, C]) fk() *mapped.ColumnInfo               { return e.fkInfo }

// side tells a relation followed from the parent (its collection or
// pointer to the child) from one followed from the child.
type side struct {
	fk    *mapped.ColumnInfo
	child bool
}

// sided is the followed foreign key and side, described: the FollowKey
// of the edges over a foreign key.
func (e ends[P, C]) sided(child bool, kind string) (any, string) {
	return side{e.fkInfo, child}, fmt.Sprintf("the %s %s → %s over %s.%s", kind, e.parent.TableName(),
		e.child.TableName(), e.child.TableName(), e.fkInfo.Name)
}

// pointer is a row's pointer field to a related row: it returns the field
// of a row of type F, or nil when the relation declares none.
type pointer[F, T any] func(*F) **T

// get returns the row the pointer names, and false when there is no such
// field.
func (ptr pointer[F, T]) get(from any) (any, bool) {
	fp := ptr(from.(*F))
	switch {
	case fp == nil:
		return nil, false
	case *fp == nil:
		return nil, true
	}
	return *fp, true
}

// addr returns the address of from's pointer field, or nil.
func (ptr pointer[F, T]) addr(from any) any {
	if f, ok := from.(*F); ok {
		if fp := ptr(f); fp != nil {
			return fp
		}
	}
	return nil
}

// remap replaces the row the pointer names by fn's.
func (ptr pointer[F, T]) remap(from any, fn func(any) any) {
	if fp := ptr(from.(*F)); fp != nil && *fp != nil {
		*fp = fn(*fp).(*T)
	}
}

// copyTo sets to's pointer from from's where to's is nil and from's is
// not, reporting whether it did.
func (ptr pointer[F, T]) copyTo(from, to any) bool {
	f, ok := from.(*F)
	if !ok {
		return false
	}
	if dst, src := ptr(to.(*F)), ptr(f); dst != nil && *dst == nil && *src != nil {
		*dst = *src
		return true
	}
	return false
}

// manyEdge follows a one-to-many relation: the parent's collection and
// the child's Back pointer.
type manyEdge[P, C any] struct {
	ends[P, C]
	r    *relation.OneToMany[P, C]
	back pointer[C, P]
}

func (e manyEdge[P, C]) orphans(m *model.Model) bool { return m.DeletesOrphans(e.fkInfo) }
func (e manyEdge[P, C]) FollowKey() (any, string)    { return e.sided(false, "one-to-many relation") }

func (e manyEdge[P, C]) children(p any) ([]any, bool) {
	s := *e.r.Field(p.(*P))
	if s == nil {
		return nil, false
	}
	out := make([]any, 0, len(s))
	for _, c := range s {
		if c != nil {
			out = append(out, c)
		}
	}
	return out, true
}

func (e manyEdge[P, C]) mapChildren(p any, fn func(any) any) {
	s := *e.r.Field(p.(*P))
	for i, c := range s {
		if c != nil {
			s[i] = fn(c).(*C)
		}
	}
}

func (e manyEdge[P, C]) parentOf(c any) (any, bool)        { return e.back.get(c) }
func (e manyEdge[P, C]) mapParent(c any, fn func(any) any) { e.back.remap(c, fn) }
func (e manyEdge[P, C]) adopt(c, p any)                    { e.r.Adopt(c.(*C), p.(*P)) }
func (e manyEdge[P, C]) populate(c, p any) func() {
	pp, _ := p.(*P) // nil: no parent
	return populate(e.r.BackField(c.(*C)), pp)
}
func (e manyEdge[P, C]) belongs(c, p any) bool { return e.r.BelongsTo(c.(*C), p.(*P)) }

func (e manyEdge[P, C]) copyLoaded(from, to any) (asParent, asChild bool) {
	if f, ok := from.(*P); ok {
		if dst, src := e.r.Field(to.(*P)), e.r.Field(f); *dst == nil && *src != nil {
			*dst, asParent = *src, true
		}
	}
	return asParent, e.back.copyTo(from, to)
}

func (e manyEdge[P, C]) fieldOf(row any, child bool) any {
	if child {
		return e.back.addr(row)
	}
	return e.r.Field(row.(*P))
}

func (e manyEdge[P, C]) release(c any) bool { return release[C](e.r, c) }
func (e manyEdge[P, C]) releasable() bool   { return e.r.Nullable() }

// populate points back, a child's pointer to its parent, at p, returning
// what puts the old pointer back; nil when there is no pointer or it
// points at p already.
func populate[P any](back **P, p *P) func() {
	if back == nil || *back == p {
		return nil
	}
	old := *back
	*back = p
	return func() { *back = old }
}

// release sets c's foreign key through r to NULL, reporting false on a
// NOT NULL key.
func release[C any](r interface {
	Nullable() bool
	Release(*C)
}, c any) bool {
	if !r.Nullable() {
		return false
	}
	r.Release(c.(*C))
	return true
}

// parentEdge follows a many-to-one relation: the child's pointer to its
// parent and the parent's BackOne pointer.
type parentEdge[C, P any] struct {
	ends[P, C]
	r       *relation.ManyToOne[C, P]
	field   pointer[C, P]
	backOne pointer[P, C]
}

func (e parentEdge[C, P]) orphans(*model.Model) bool { return false }
func (e parentEdge[C, P]) FollowKey() (any, string)  { return e.sided(true, "many-to-one relation") }
func (e parentEdge[C, P]) belongs(c, p any) bool     { return false }

func (e parentEdge[C, P]) children(p any) ([]any, bool) {
	if c, _ := e.backOne.get(p); c != nil {
		return []any{c}, true
	}
	return nil, false
}

func (e parentEdge[C, P]) mapChildren(p any, fn func(any) any) { e.backOne.remap(p, fn) }
func (e parentEdge[C, P]) parentOf(c any) (any, bool)          { return e.field.get(c) }
func (e parentEdge[C, P]) mapParent(c any, fn func(any) any)   { e.field.remap(c, fn) }
func (e parentEdge[C, P]) adopt(c, p any)                      { e.r.Adopt(c.(*C), p.(*P)) }
func (e parentEdge[C, P]) populate(any, any) func()            { return nil }

func (e parentEdge[C, P]) copyLoaded(from, to any) (asParent, asChild bool) {
	return e.backOne.copyTo(from, to), e.field.copyTo(from, to)
}

func (e parentEdge[C, P]) fieldOf(row any, child bool) any {
	if child {
		return e.field.addr(row)
	}
	return e.backOne.addr(row)
}

func (e parentEdge[C, P]) release(c any) bool { return release[C](e.r, c) }
func (e parentEdge[C, P]) releasable() bool   { return e.r.Nullable() }

// oneEdge follows a one-to-one relation: the parent's pointer to its child
// and the child's Back pointer.
type oneEdge[P, C any] struct {
	ends[P, C]
	r     *relation.OneToOne[P, C]
	field pointer[P, C]
	back  pointer[C, P]
}

func (e oneEdge[P, C]) orphans(*model.Model) bool { return true }
func (e oneEdge[P, C]) FollowKey() (any, string) {
	return e.sided(false, "one-to-one relation")
}
func (e oneEdge[P, C]) fieldOf(row any, child bool) any {
	if child {
		return e.back.addr(row)
	}
	return e.field.addr(row)
}

func (e oneEdge[P, C]) release(c any) bool { return false }
func (e oneEdge[P, C]) releasable() bool   { return false }

// children reads the parent's pointer: nil is no child, which counts as
// an orphaning only where the unit recorded a child loaded before (the
// baseline), so a pointer never loaded takes nothing away.
func (e oneEdge[P, C]) children(p any) ([]any, bool) {
	if c := *e.r.Field(p.(*P)); c != nil {
		return []any{c}, true
	}
	return []any{}, true
}

func (e oneEdge[P, C]) mapChildren(p any, fn func(any) any) { e.field.remap(p, fn) }
func (e oneEdge[P, C]) parentOf(c any) (any, bool)          { return e.back.get(c) }
func (e oneEdge[P, C]) mapParent(c any, fn func(any) any)   { e.back.remap(c, fn) }
func (e oneEdge[P, C]) adopt(c, p any)                      { e.r.Adopt(c.(*C), p.(*P)) }
func (e oneEdge[P, C]) populate(c, p any) func() {
	pp, _ := p.(*P) // nil: no parent
	return populate(e.r.BackField(c.(*C)), pp)
}
func (e oneEdge[P, C]) belongs(c, p any) bool { return e.r.BelongsTo(c.(*C), p.(*P)) }

func (e oneEdge[P, C]) copyLoaded(from, to any) (asParent, asChild bool) {
	return e.field.copyTo(from, to), e.back.copyTo(from, to)
}

// pairEdge follows a many-to-many relation: A's collection of B rows,
// written as association rows rather than foreign keys.
type pairEdge[A, B any] struct {
	ends[A, B]
	r *relation.ManyToMany[A, B]
}

func (e pairEdge[A, B]) orphans(*model.Model) bool { return false }

// FollowKey is the association table, whichever side the relation is
// seen from: following a relation and its Reverse would write each pair
// twice.
func (e pairEdge[A, B]) FollowKey() (any, string) {
	links := e.r.Through()
	return links, fmt.Sprintf("the many-to-many relation %s ↔ %s through %s", e.parent.TableName(),
		e.child.TableName(), links.TableName())
}
func (e pairEdge[A, B]) fieldOf(row any, child bool) any {
	if child {
		return nil
	}
	return e.r.Field(row.(*A))
}

func (e pairEdge[A, B]) release(any) bool             { return false }
func (e pairEdge[A, B]) releasable() bool             { return false }
func (e pairEdge[A, B]) belongs(any, any) bool        { return false }
func (e pairEdge[A, B]) adopt(any, any)               {}
func (e pairEdge[A, B]) populate(any, any) func()     { return nil }
func (e pairEdge[A, B]) parentOf(any) (any, bool)     { return nil, false }
func (e pairEdge[A, B]) mapParent(any, func(any) any) {}

func (e pairEdge[A, B]) children(a any) ([]any, bool) {
	s := *e.r.Field(a.(*A))
	if s == nil {
		return nil, false
	}
	out := make([]any, 0, len(s))
	for _, b := range s {
		if b != nil {
			out = append(out, b)
		}
	}
	return out, true
}

func (e pairEdge[A, B]) mapChildren(a any, fn func(any) any) {
	s := *e.r.Field(a.(*A))
	for i, b := range s {
		if b != nil {
			s[i] = fn(b).(*B)
		}
	}
}

func (e pairEdge[A, B]) copyLoaded(from, to any) (asParent, asChild bool) {
	if f, ok := from.(*A); ok {
		if dst, src := e.r.Field(to.(*A)), e.r.Field(f); *dst == nil && *src != nil {
			*dst, asParent = *src, true
		}
	}
	return asParent, false
}

// pairs writes the association rows of a: those of added, deletes those
// of dropped.
func (e pairEdge[A, B]) pairs(ctx context.Context, ex dialect.Executor, a any, added, dropped []any) error {
	var stmts []query.Statement
	if len(dropped) > 0 {
		cond, err := e.r.PairsOf(a.(*A), typed[B](dropped))
		if err != nil {
			return err
		}
		// The rules of the association rows (model.OnDelete over the rows
		// referencing them) run before their DELETE.
		if err := model.CascadeWhere(ctx, ex, e.r.Through(), cond); err != nil {
			return errs.Errorf("uow: flush: association rows of %s ↔ %s: %w", e.parent.TableName(), e.child.TableName(), err)
		}
		stmts = append(stmts, &query.Delete{From: e.r.Through(), Where: []query.Condition{cond}})
	}
	if len(added) > 0 {
		ins, err := e.r.LinkStatements(ex.Dialect().Features(), a.(*A), typed[B](added))
		if err != nil {
			return err
		}
		stmts = append(stmts, ins...)
	}
	// The flush's transaction holds them together: no savepoint.
	for _, st := range stmts {
		if err := rowscan.Exec(ctx, ex, st); err != nil {
			return errs.Errorf("uow: flush: association rows of %s ↔ %s: %w", e.parent.TableName(), e.child.TableName(), err)
		}
	}
	return nil
}

func (e pairEdge[A, B]) through() mapped.Schema { return e.r.Through() }

func (e pairEdge[A, B]) linked(ctx context.Context, ex dialect.Executor, a any, bs []any) ([]bool, error) {
	return e.r.Linked(ctx, ex, a.(*A), typed[B](bs)...)
}

// typed returns rows as *T; erased returns them as any.
func typed[T any](rows []any) []*T {
	out := make([]*T, len(rows))
	for i, r := range rows {
		out[i] = r.(*T)
	}
	return out
}

func erased[T any](rows []*T) []any {
	out := make([]any, len(rows))
	for i, r := range rows {
		out[i] = r
	}
	return out
}

// pairer is an edge written as association rows (a many-to-many
// relation) rather than as a child's foreign key.
type pairer interface {
	pairs(ctx context.Context, ex dialect.Executor, a any, added, dropped []any) error
	// linked reports which of bs are stored as related to a.
	linked(ctx context.Context, ex dialect.Executor, a any, bs []any) ([]bool, error)
	// through is the association table.
	through() mapped.Schema
}
