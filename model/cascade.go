package model

import (
	"context"
	"errors"
	"fmt"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
	"github.com/genrepo/genrepo/internal/rowscan"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/relation"
)

// ErrRestricted is returned when a delete is refused because rows still
// reference the deleted ones through a relation whose cascade is
// mapped.Restrict.
var ErrRestricted = errors.New("model: rows still reference the deleted rows")

// maxDepth bounds how deep a cascade follows relations: rows that
// reference each other in a cycle are not cascaded into again, so only a
// chain of rows deeper than this is refused.
const maxDepth = 1000

// deleteRule is what deleting rows of a table does to the rows of another
// that reference them. run is handed the rows about to be deleted, a
// []*T of the table the rule is filed under.
type deleteRule struct {
	child mapped.Schema // the table whose rows the rule deletes or changes
	// deletes is true when the rule deletes child rows (a Cascade, Links),
	// cascades when deleting them runs the child table's rules in turn.
	deletes, cascades bool
	run               func(ctx context.Context, ex dialect.Executor, m *Model, rows any) error
}

// orderRules orders the rules of each table so that a rule whose cascade
// reaches a table referencing one that another rule's cascade deletes runs
// first: an order's attachments, which reference the notes its lines'
// cascade deletes, before the lines; a line's notes before the lines they
// reference. Rules keep their declared order otherwise, and among rules
// whose cascades reference each other both ways (through others too).
func (m *Model) orderRules() {
	for parent, rules := range m.deletes {
		if len(rules) > 1 {
			m.deletes[parent] = m.ordered(rules)
		}
	}
}

// ordered returns rules in the order orderRules runs them.
func (m *Model) ordered(rules []deleteRule) []deleteRule {
	n := len(rules)
	reach := make([]map[*mapped.Info]mapped.Schema, n)
	for i, r := range rules {
		reach[i] = m.reach(r)
	}
	// before[i][j]: rule i runs before rule j, directly or through others.
	before := make([][]bool, n)
	for i := range before {
		before[i] = make([]bool, n)
		for j := range before[i] {
			before[i][j] = i != j && references(reach[i], reach[j])
		}
	}
	for k := range n {
		for i := range n {
			for j := range n {
				before[i][j] = before[i][j] || before[i][k] && before[k][j]
			}
		}
	}
	// Rules that would each run before the other, a cycle, run in their
	// declared order.
	waits := make([]int, n)
	for i := range n {
		for j := range n {
			if before[i][j] && (!before[j][i] || i < j) {
				waits[j]++
			} else {
				before[i][j] = false
			}
		}
	}
	// The earliest declared of the rules free to run, each time.
	order := make([]deleteRule, 0, n)
	done := make([]bool, n)
	for len(order) < n {
		next := 0
		for next < n && (done[next] || waits[next] > 0) {
			next++
		}
		if next == n {
			return rules // not reached: the order has no cycle left
		}
		done[next] = true
		order = append(order, rules[next])
		for j := range n {
			if before[next][j] {
				waits[j]--
			}
		}
	}
	return order
}

// reach returns the tables whose rows r deletes or changes: its child
// table, and the tables the cascade deletes from it in turn.
func (m *Model) reach(r deleteRule) map[*mapped.Info]mapped.Schema {
	out := map[*mapped.Info]mapped.Schema{}
	var walk func(r deleteRule)
	walk = func(r deleteRule) {
		if _, ok := out[r.child.Info()]; ok {
			return
		}
		out[r.child.Info()] = r.child
		if !r.cascades {
			return
		}
		for _, next := range m.deletes[r.child.Info()] {
			if next.deletes {
				walk(next)
			}
		}
	}
	walk(r)
	return out
}

// references reports whether a table of from has a foreign key to another
// table of to.
func references(from, to map[*mapped.Info]mapped.Schema) bool {
	for t, table := range from {
		for _, c := range table.Info().Columns {
			if ref := c.References; ref != nil && ref.Table.Info() != t {
				if _, ok := to[ref.Table.Info()]; ok {
					return true
				}
			}
		}
	}
	return false
}

// Parental is what OnDelete needs of a relation from a parent to the
// children that reference it: relation.OneToMany and relation.OneToOne
// have it.
type Parental[P, C any] interface {
	Parent() *mapped.Table[P]
	Child() *mapped.Table[C]
	ForeignKey() *mapped.Field[C]
	Nullable() bool
	ChildrenOfAll(parents []*P) (query.Cond[C], bool)
}

// OnDelete declares what deleting parents of rel through a repository or a
// unit of work on a handle bound to the model does to their children,
// SQLAlchemy's delete cascade: mapped.Cascade deletes them (and theirs in
// turn, deepest rows first), mapped.SetNull sets their foreign key to NULL,
// mapped.Restrict refuses the delete with ErrRestricted while any exist.
// It runs in the delete's transaction, so the delete happens whole or not
// at all. The model's CreateAll writes the action as the foreign key's ON
// DELETE, so that the database agrees.
//
// A cascade deletes every row it reaches once: rows that reference each
// other in a cycle (a → b → a in a table referencing itself) go together,
// as the database's own ON DELETE CASCADE deletes them. A row being
// deleted that references rows deleted before it has its foreign key
// pointed away from them first (NULL, or the row itself for a NOT NULL
// key), in the delete's transaction. A chain of rows more than 1000
// levels deep is refused.
//
// Restrict counts only the rows the delete leaves: in a table referencing
// itself, rows that the delete deletes too (those it began with, those of
// the outer levels of a cascade, which the database deletes before the
// rows they reference) are pointed away from the rows restricted instead,
// as PostgreSQL's own ON DELETE RESTRICT lets them go.
//
// The rules of one parent run in the order declared, except that a rule
// whose cascade reaches a table referencing one that another rule's
// cascade deletes runs before it (an order's attachments, which
// reference the notes its lines' cascade deletes, before the lines);
// rules that would each run before the other keep their declared order.
//
// New refuses another action, SetNull on a NOT NULL key, an action that
// disagrees with the ON DELETE the foreign key column declares
// (mapped.OnDelete), and a second OnDelete for the same foreign key.
func OnDelete[P, C any](rel Parental[P, C], a mapped.Action) Part {
	return partFunc(func(b *builder) error {
		if rel == nil {
			return errors.New("OnDelete: nil relation")
		}
		parent, child, fk := rel.Parent(), rel.Child(), rel.ForeignKey()
		what := fmt.Sprintf("the cascade of %s → %s over %s.%s", parent.TableName(), child.TableName(),
			child.TableName(), fk.Name())
		if err := checkAction(b, what, a, fk.Info(), rel.Nullable(), parent, child); err != nil {
			return err
		}
		b.m.onDelete[fk.Info()] = a
		b.m.readers[parent.Info()] = readerOf(parent)
		b.m.deletes[parent.Info()] = append(b.m.deletes[parent.Info()], deleteRule{child: child,
			deletes: a == mapped.Cascade, cascades: a == mapped.Cascade,
			run: func(ctx context.Context, ex dialect.Executor, m *Model, rows any) error {
				return cascade(ctx, ex, m, rel, a, rows.([]*P))
			},
		})
		return nil
	})
}

func checkAction(b *builder, what string, a mapped.Action, fk *mapped.ColumnInfo, nullable bool, tables ...mapped.Schema) error {
	if err := b.has(what, tables...); err != nil {
		return err
	}
	switch a {
	case mapped.Cascade, mapped.Restrict:
	case mapped.SetNull:
		if !nullable {
			return fmt.Errorf("%s: SET NULL needs a nullable foreign key; %s is NOT NULL", what, fk.Name)
		}
	default:
		return fmt.Errorf("%s: %s is not a cascade (Cascade, SetNull or Restrict)", what, a.SQL())
	}
	if declared := fk.References.OnDelete; declared != mapped.NoAction && declared != a {
		return fmt.Errorf("%s: %s disagrees with the foreign key's ON DELETE %s", what, a.SQL(), declared.SQL())
	}
	return b.declare(fk, what)
}

// cascade applies a to the children of parents, which are about to be
// deleted: children that go are cascaded in turn first, deepest rows
// first.
func cascade[P, C any](ctx context.Context, ex dialect.Executor, m *Model, rel Parental[P, C], a mapped.Action, parents []*P) error {
	parent := rel.Parent()
	if !byPrimaryKey(rel) {
		// The referenced key is another column, which the rows at hand
		// may hold other values of than the stored rows do (a row given
		// by its primary key only, a unit's row changed since loading):
		// cascade from the stored rows.
		stored, err := storedRows(ctx, ex, parent, parents)
		if err != nil {
			return err
		}
		parents = stored
	}
	cond, ok := rel.ChildrenOfAll(parents)
	if !ok {
		return nil
	}
	child := rel.Child()
	in, exact := []query.Condition{cond}, true
	if child.Info() == parent.Info() {
		// A row may be its own parent: it is not its own child.
		var not query.Condition
		if not, exact = notAmong(ex.Dialect().Features(), parent, parents); exact {
			in = append(in, not)
		}
	}
	if a == mapped.Cascade && len(m.deletes[child.Info()]) > 0 {
		return deleteChildren(ctx, ex, m, rel, cond, in, exact)
	}
	switch a {
	case mapped.Restrict:
		return restrict(ctx, ex, rel, cond, in)
	case mapped.SetNull:
		return rowscan.Exec(ctx, ex, &query.Update{Table: child, Where: in,
			Set: []query.Assignment{{Column: rel.ForeignKey().Name(), Value: query.Raw("NULL")}}})
	}
	return rowscan.Exec(ctx, ex, &query.Delete{From: child, Where: in})
}

// restrict refuses the delete of rows, the parents of rel, while rows of
// its child table that the delete leaves reference them (those in selects,
// cond excluding the parents themselves). Rows that the delete deletes
// too, in a table referencing itself, do not count: those it began with,
// those of the outer levels of a cascade, which the database's own ON
// DELETE deletes before the rows they reference, and the parents; they
// are pointed away from the parents instead (unlink), which go first.
func restrict[P, C any](ctx context.Context, ex dialect.Executor, rel Parental[P, C], cond query.Cond[C], in []query.Condition) error {
	child := rel.Child()
	var found bool
	if gone := deletingOf(ctx, child); len(gone) == 0 {
		var err error
		found, err = rowscan.Exists(ctx, ex, &query.Select{Columns: []query.Expr{query.Raw("1")}, From: child, Where: in, Limit: 1})
		if err != nil {
			return err
		}
	} else {
		kept, again, err := children(ctx, ex, child, cond, gone)
		if err != nil {
			return err
		}
		if found = len(kept) > 0; !found {
			if err := unlink(ctx, ex, rel, again); err != nil {
				return err
			}
		}
	}
	if found {
		return errs.Errorf("%w: %s rows reference the %s rows", ErrRestricted, mapped.FullName(child), mapped.FullName(rel.Parent()))
	}
	return nil
}

// deleteChildren deletes the children of rows about to be deleted, those
// cond selects, running their table's rules first. A child that is being
// deleted already (one of the rows the delete began with or of an outer
// level of the cascade, rows that reference each other in a cycle, or
// one of the parents themselves) is not cascaded into again, nor deleted
// here: its foreign key is pointed away from the parents (unlink), which
// go before it. The children go by in, cond excluding the parents
// themselves, when exact; else, a composite key's parents too many to
// exclude, by their keys.
func deleteChildren[P, C any](ctx context.Context, ex dialect.Executor, m *Model, rel Parental[P, C], cond query.Cond[C],
	in []query.Condition, exact bool) error {
	child := rel.Child()
	depth := depthOf(ctx)
	if depth >= maxDepth {
		return fmt.Errorf("model: cascade from %s deeper than %d levels", rel.Parent().TableName(), maxDepth)
	}
	kept, again, err := children(ctx, ex, child, cond, deletingOf(ctx, child))
	if err != nil {
		return err
	}
	if err := unlink(ctx, ex, rel, again); err != nil {
		return err
	}
	if len(kept) > 0 {
		inner := withDeleting(context.WithValue(ctx, depthKey{}, depth+1), child, kept)
		if err := m.beforeDelete(inner, ex, child, kept); err != nil {
			return err
		}
	}
	if !exact {
		return deleteRows(ctx, ex, child, kept)
	}
	return rowscan.Exec(ctx, ex, &query.Delete{From: child, Where: in})
}

// byPrimaryKey reports whether rel's foreign key references its parent
// table's primary key, a single column.
func byPrimaryKey[P, C any](rel Parental[P, C]) bool {
	pk := rel.Parent().PrimaryKey()
	return len(pk) == 1 && rel.ForeignKey().Info().References.Column == pk[0].Name()
}

// storedRows reads the stored rows with the primary keys of rows.
func storedRows[T any](ctx context.Context, ex dialect.Executor, t *mapped.Table[T], rows []*T) ([]*T, error) {
	conds, err := rowscan.KeyConds(ex.Dialect().Features(), t, rows)
	if err != nil {
		return nil, err
	}
	var out []*T
	for _, c := range conds {
		stmt := &query.Select{Columns: rowscan.Columns(t), From: t, Where: []query.Condition{c}}
		if err := rowscan.Select(ctx, ex, "model", t, stmt, 0, nil, func(r *T) { out = append(out, r) }); err != nil {
			return nil, err
		}
	}
	return out, nil
}

type depthKey struct{}

func depthOf(ctx context.Context) int {
	d, _ := ctx.Value(depthKey{}).(int)
	return d
}

// Links declares that deleting rows of either side of the many-to-many
// relation rel (and of its Reverse) through a handle bound to the model
// deletes their association rows first, running the rules of the
// association table before (its rows' own cascades and restrictions,
// OnDelete over the rows that reference them); the rows on the other side
// stay.
// New refuses a relation whose association table is not one of the
// model's tables, and the same association table declared twice.
func Links[A, B any](rel *relation.ManyToMany[A, B]) Part {
	return partFunc(func(b *builder) error {
		if rel == nil {
			return errors.New("Links: nil relation")
		}
		links := rel.Through()
		what := fmt.Sprintf("the association rows of %s ↔ %s in %s", rel.Parent().TableName(),
			rel.Child().TableName(), links.TableName())
		if err := b.has(what, rel.Parent(), rel.Child(), links); err != nil {
			return err
		}
		if err := b.declare(linksKey{links}, what); err != nil {
			return err
		}
		b.m.links[links.Info()] = true
		b.m.readers[rel.Parent().Info()] = readerOf(rel.Parent())
		b.m.readers[rel.Child().Info()] = readerOf(rel.Child())
		drop := func(ctx context.Context, ex dialect.Executor, m *Model, cond query.Condition, ok bool) error {
			if !ok {
				return nil
			}
			if err := m.beforeRows(ctx, ex, links, cond); err != nil {
				return err
			}
			return rowscan.Exec(ctx, ex, &query.Delete{From: links, Where: []query.Condition{cond}})
		}
		b.m.deletes[rel.Parent().Info()] = append(b.m.deletes[rel.Parent().Info()], deleteRule{child: links,
			deletes: true, cascades: true,
			run: func(ctx context.Context, ex dialect.Executor, m *Model, rows any) error {
				as, err := keyed(ctx, ex, links, rel.Parent(), rows.([]*A))
				if err != nil {
					return err
				}
				cond, ok := rel.LinksOf(as, nil)
				return drop(ctx, ex, m, cond, ok)
			},
		})
		b.m.deletes[rel.Child().Info()] = append(b.m.deletes[rel.Child().Info()], deleteRule{child: links,
			deletes: true, cascades: true,
			run: func(ctx context.Context, ex dialect.Executor, m *Model, rows any) error {
				bs, err := keyed(ctx, ex, links, rel.Child(), rows.([]*B))
				if err != nil {
					return err
				}
				cond, ok := rel.LinksOf(nil, bs)
				return drop(ctx, ex, m, cond, ok)
			},
		})
		return nil
	})
}

type linksKey struct{ links mapped.Schema }

// keyed returns rows, of t, as the association rows of links name them:
// rows itself when links references t's primary key, a single column;
// else the stored rows with their keys, whose referenced columns the rows
// at hand may hold other values of (a row given by its key alone, a
// unit's row changed since loading).
func keyed[T any](ctx context.Context, ex dialect.Executor, links mapped.Schema, t *mapped.Table[T], rows []*T) ([]*T, error) {
	pk := t.PrimaryKey()
	for _, c := range links.Info().Columns {
		if ref := c.References; ref != nil && ref.Table.Info() == t.Info() && (len(pk) != 1 || ref.Column != pk[0].Name()) {
			return storedRows(ctx, ex, t, rows)
		}
	}
	return rows, nil
}

// DeleteOrphans declares that a child taken out of a collection of rel is
// deleted, SQLAlchemy's delete-orphan, rather than released (its foreign
// key set to NULL): when repo.SaveCollection saves the collection, and
// when a unit of work that follows rel flushes.
func DeleteOrphans[P, C any](rel *relation.OneToMany[P, C]) Part {
	return partFunc(func(b *builder) error {
		if rel == nil {
			return errors.New("DeleteOrphans: nil relation")
		}
		fk := rel.ForeignKey().Info()
		what := fmt.Sprintf("the orphans of %s → %s over %s.%s", rel.Parent().TableName(), rel.Child().TableName(),
			rel.Child().TableName(), fk.Name)
		if err := b.has(what, rel.Parent(), rel.Child()); err != nil {
			return err
		}
		if err := b.declare(orphansKey{fk}, what); err != nil {
			return err
		}
		b.m.orphans[fk] = true
		return nil
	})
}

type orphansKey struct{ fk *mapped.ColumnInfo }

// beforeRows runs the rules of t, when it has any, for its rows that cond
// selects, about to be deleted by a rule that does not know their type
// (Links, deleting association rows). Every table with rules has a
// reader: the parts that file rules under a table (OnDelete, Links) add
// one.
func (m *Model) beforeRows(ctx context.Context, ex dialect.Executor, t mapped.Schema, cond query.Condition) error {
	if len(m.deletes[t.Info()]) == 0 {
		return nil
	}
	depth := depthOf(ctx)
	if depth >= maxDepth {
		return fmt.Errorf("model: cascade to %s deeper than %d levels", t.TableName(), maxDepth)
	}
	rows, n, err := m.readers[t.Info()](ctx, ex, cond)
	if err != nil || n == 0 {
		return err
	}
	inner := withRows(context.WithValue(ctx, depthKey{}, depth+1), t.Info(), rows)
	return m.beforeDelete(inner, ex, t, rows)
}

// beforeDelete runs the rules of t for rows about to be deleted.
func (m *Model) beforeDelete(ctx context.Context, ex dialect.Executor, t mapped.Schema, rows any) error {
	for _, r := range m.deletes[t.Info()] {
		if err := r.run(ctx, ex, m, rows); err != nil {
			return err
		}
	}
	return nil
}

// Cascades reports whether deleting rows of t through ex runs cascades:
// whether ex is bound to a model (Of) with delete rules for t.
func Cascades(ex dialect.Executor, t mapped.Schema) bool {
	m := Of(ex)
	return m != nil && len(m.deletes[t.Info()]) > 0
}

// CascadeWhere runs, for the rows of t that cond selects, about to be
// deleted through ex, the rules of the model ex is bound to, as Cascade
// does for rows at hand: for a caller that deletes rows by a condition
// without reading them (association rows, by repo.Unlink or a unit's
// flush). It reads the rows only when t has rules; on a plain executor it
// does nothing. Call it in the delete's transaction, before the DELETE.
func CascadeWhere(ctx context.Context, ex dialect.Executor, t mapped.Schema, cond query.Condition) error {
	m := Of(ex)
	if m == nil {
		return nil
	}
	return m.beforeRows(ctx, ex, t, cond)
}

// Cascade runs, for rows of t about to be deleted through ex, the cascades
// of the model ex is bound to (OnDelete, Links), deepest rows first; on a
// plain executor it does nothing. Repositories and units of work call it
// in the delete's transaction, before their DELETE.
func Cascade[T any](ctx context.Context, ex dialect.Executor, t *mapped.Table[T], rows []*T) error {
	m := Of(ex)
	if m == nil || len(rows) == 0 {
		return nil
	}
	return m.beforeDelete(withDeleting(ctx, t, rows), ex, t, rows)
}
