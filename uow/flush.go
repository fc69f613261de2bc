package uow

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

// link says that a flush sets child's foreign key (e's) from parent's key.
type link struct {
	child, parent any
	e             edge
}

// plan is what a flush found by following relations from the unit's rows:
// the foreign keys to set, by child row.
type plan struct {
	links map[any][]link
}

// adopt sets row's foreign keys from its parents' keys, as the links say.
func (p *plan) adopt(row any) {
	for _, l := range p.links[row] {
		l.e.adopt(l.child, l.parent)
	}
}

// claim identifies a child's foreign key, which one parent may claim.
type claim struct {
	child any
	fk    *mapped.ColumnInfo
}

// discover follows the relations of every row the unit holds: rows they
// lead to that the unit does not know are scheduled for insertion, links
// are recorded where a reference is new, and children taken out of a
// loaded collection are deleted or released. Nothing is sent; an error
// leaves the database untouched.
func (u *Unit) discover() (*plan, error) {
	p := &plan{links: map[any][]link{}}
	claimed := map[claim]any{}
	addLink := func(child, parent any, e edge) error {
		c := claim{child, e.fk()}
		if prev, ok := claimed[c]; ok && prev != parent {
			ps, cs := e.schemas()
			return fmt.Errorf("uow: flush: a %s row is claimed by two %s rows through %s.%s; take it out of one of them",
				cs.TableName(), ps.TableName(), cs.TableName(), e.fk().Name)
		}
		if _, ok := claimed[c]; !ok {
			claimed[c] = parent
			p.links[child] = append(p.links[child], link{child, parent, e})
		}
		return nil
	}
	type item struct {
		tr    tracker
		row   any
		added bool
	}
	var queue []item
	seen := map[any]bool{}
	for _, s := range slices.Clone(u.order) {
		tr := u.tables[s]
		if len(tr.followed()) == 0 {
			continue
		}
		tr.each(func(row any, added bool) {
			seen[row] = true
			queue = append(queue, item{tr, row, added})
		})
	}
	// reach makes row, reached through a relation, the unit's, adding it
	// when the unit does not know it, and queues it.
	reach := func(tr tracker, row any) {
		st := tr.status(row)
		if st == untracked {
			tr.schedule(row)
		}
		if !seen[row] && st != deleting {
			seen[row] = true
			queue = append(queue, item{tr, row, tr.status(row) == adding})
		}
	}
	type orphan struct {
		child, parent any
		e             edge
	}
	var orphans []orphan
	var released []orphan
	for i := 0; i < len(queue); i++ {
		it := queue[i]
		s := it.tr.schema()
		base := it.tr.links(it.row)
		for _, e := range it.tr.followed() {
			ps, cs := e.schemas()
			if ps == s {
				if kids, ok := e.children(it.row); ok {
					was, _ := base[e].(map[any]bool)
					ct := e.childTable(u)
					for _, k := range kids {
						reach(ct, k)
						if it.added || !was[k] {
							if err := addLink(k, it.row, e); err != nil {
								return nil, err
							}
						}
					}
					if was != nil && !it.added {
						now := make(map[any]bool, len(kids))
						for _, k := range kids {
							now[k] = true
						}
						for k := range was {
							if !now[k] {
								orphans = append(orphans, orphan{k, it.row, e})
							}
						}
					}
				}
			}
			if cs == s {
				if par, ok := e.parentOf(it.row); ok {
					was, recorded := base[childSide{e}]
					switch {
					case par != nil:
						reach(e.parentTable(u), par)
						if it.added || !recorded || was != par {
							if err := addLink(it.row, par, e); err != nil {
								return nil, err
							}
						}
					case recorded && was != nil && !it.added:
						released = append(released, orphan{it.row, was, e})
					}
				}
			}
		}
	}
	for _, o := range orphans {
		if _, moved := claimed[claim{o.child, o.e.fk()}]; moved {
			continue
		}
		ct := o.e.childTable(u)
		if ct.status(o.child) != loaded || !o.e.belongs(o.child, o.parent) {
			continue
		}
		if o.e.orphans() {
			ct.scheduleDelete(o.child)
			continue
		}
		if !o.e.release(o.child) {
			ps, cs := o.e.schemas()
			return nil, fmt.Errorf("uow: flush: a %s taken out of its %s's collection cannot be kept: %s.%s is NOT NULL; declare the relation DeleteOrphan, delete the row, or make the key nullable",
				cs.TableName(), ps.TableName(), cs.TableName(), o.e.fk().Name)
		}
	}
	for _, o := range released {
		if _, moved := claimed[claim{o.child, o.e.fk()}]; moved {
			continue
		}
		if !o.e.release(o.child) {
			ps, cs := o.e.schemas()
			return nil, fmt.Errorf("uow: flush: a %s's %s was set to nil, but %s.%s is NOT NULL; delete the row or give it another %s",
				cs.TableName(), ps.TableName(), cs.TableName(), o.e.fk().Name, ps.TableName())
		}
	}
	return p, nil
}

// insertRound is the rows of one table that an INSERT round writes.
type insertRound struct {
	tr   tracker
	rows []any
}

// rounds orders the rows to insert into rounds: a table's rows wait for
// the rows of the tables it references, and a row waits for the rows of
// its own table it is linked to (a self-referential relation), so that
// every row's parents have their keys when it is written. The rows of one
// round are independent, sent together. A cycle of references among new
// rows is an error naming their tables.
func (u *Unit) rounds(p *plan) ([][]insertRound, error) {
	remaining := map[mapped.Schema][]any{}
	left := map[any]bool{}
	var tables []mapped.Schema
	for _, s := range u.order {
		if rows := u.tables[s].pendingInserts(); len(rows) > 0 {
			remaining[s] = rows
			tables = append(tables, s)
			for _, r := range rows {
				left[r] = true
			}
		}
	}
	var out [][]insertRound
	for len(left) > 0 {
		var round []insertRound
		waiting := map[string]bool{} // tables with rows left as the round starts
		for _, s := range tables {
			if len(remaining[s]) > 0 {
				waiting[s.TableName()] = true
			}
		}
		for _, s := range tables {
			rows := remaining[s]
			if len(rows) == 0 || waitsForTable(s, waiting) {
				continue
			}
			var ready, later []any
			for _, r := range rows {
				if waitsForRow(p.links[r], s, left) {
					later = append(later, r)
				} else {
					ready = append(ready, r)
				}
			}
			if len(ready) > 0 {
				round = append(round, insertRound{u.tables[s], ready})
				remaining[s] = later
			}
		}
		if len(round) == 0 {
			var names []string
			for _, s := range tables {
				if len(remaining[s]) > 0 {
					names = append(names, s.TableName())
				}
			}
			return nil, fmt.Errorf("uow: flush: new rows of %s reference each other in a cycle: no order of INSERTs gives every row its parent's key first; insert one side with the reference unset, flush, then set it",
				strings.Join(names, ", "))
		}
		for _, ir := range round {
			for _, r := range ir.rows {
				delete(left, r)
			}
		}
		out = append(out, round)
	}
	return out, nil
}

// waitsForTable reports whether s references another table that still has
// rows to insert (is waiting).
func waitsForTable(s mapped.Schema, waiting map[string]bool) bool {
	for _, c := range s.Info().Columns {
		if ref := c.References; ref != nil && ref.Table.TableName() != s.TableName() && waiting[ref.Table.TableName()] {
			return true
		}
	}
	return false
}

// waitsForRow reports whether a row with links waits for a parent of its
// own table, s, that is still to insert.
func waitsForRow(links []link, s mapped.Schema, left map[any]bool) bool {
	for _, l := range links {
		if ps, _ := l.e.schemas(); ps == s && left[l.parent] {
			return true
		}
	}
	return false
}

// Flush writes the unit's pending work in its transaction. It first
// follows the relations declared with Follow, FollowOne and FollowParent from every
// row the unit holds, adding the related rows it does not know and
// deleting or releasing orphans. Then it inserts the added rows, parents
// before their children, each round's rows in as few multi-row INSERTs as
// the dialect allows and every INSERT of a round in one batch (one round
// trip on PostgreSQL), setting children's foreign keys from the keys their
// parents were given; it updates the changed columns of the loaded rows,
// every UPDATE in one batch; and it deletes the deleted rows, children's
// tables first, each table's cascades then its DELETEs in one batch, and
// then reads back the keys of the live rows that cascades may have reached
// (one SELECT per table whose foreign keys cascade), forgetting the rows
// they deleted and clearing the keys they set to NULL. Unchanged rows cost no statement.
// Afterwards the written rows count as loaded, with their current values
// as the baseline of later changes.
//
// If the flush cannot be ordered (a cycle of references among new rows,
// say), it returns an error before sending anything. If a statement
// fails, the unit is failed: the error, and every later one until
// Rollback, matches ErrFailed and wraps the statement's.
func (u *Unit) Flush(ctx context.Context) error {
	if err := u.usable(); err != nil {
		return err
	}
	p, err := u.discover()
	if err != nil {
		return err
	}
	rounds, err := u.rounds(p)
	if err != nil {
		return err
	}
	var deletes []mapped.Schema
	for _, s := range u.order {
		if u.tables[s].hasDeletes() {
			deletes = append(deletes, s)
		}
	}
	deletes, err = mapped.Sort(deletes)
	if err != nil {
		return fmt.Errorf("uow: flush: %w", err)
	}
	for _, round := range rounds {
		if err := u.insert(ctx, p, round); err != nil {
			return u.fail(err)
		}
	}
	var stmts []dialect.Statement
	var after []func()
	for _, s := range slices.Clone(u.order) {
		if stmts, after, err = u.tables[s].prepareUpdates(u, p, stmts, after); err != nil {
			return u.fail(err)
		}
	}
	if err := dialect.SendBatch(ctx, u.tx, stmts); err != nil {
		return u.fail(repo.Explain(ctx, u.tx, err))
	}
	for _, f := range after {
		f()
	}
	for i := len(deletes) - 1; i >= 0; i-- {
		if err := u.tables[deletes[i]].deleteAll(ctx, u); err != nil {
			return u.fail(err)
		}
	}
	if len(deletes) > 0 {
		for _, s := range slices.Clone(u.order) {
			if err := u.tables[s].recheck(ctx, u); err != nil {
				return u.fail(err)
			}
		}
	}
	for _, s := range u.order {
		if err := u.tables[s].rebase(u); err != nil {
			return u.fail(err)
		}
	}
	return nil
}

// insert sends one round of INSERTs in one batch and records the rows as
// loaded.
func (u *Unit) insert(ctx context.Context, p *plan, round []insertRound) error {
	var stmts []dialect.Statement
	fresh := make([][]bool, len(round))
	preps := make([]*repo.PreparedInsert, len(round))
	for i, ir := range round {
		for _, r := range ir.rows {
			p.adopt(r)
		}
		prep, f, err := ir.tr.prepareInsert(u, ir.rows)
		if err != nil {
			return err
		}
		stmts = append(stmts, prep.Statements...)
		fresh[i], preps[i] = f, prep
	}
	if err := dialect.SendBatch(ctx, u.tx, stmts); err != nil {
		// Statements before the failing one may have filled in keys:
		// none of the round is stored.
		for _, prep := range preps {
			prep.Undo()
		}
		return err
	}
	for i, ir := range round {
		if err := ir.tr.inserted(u, ir.rows, fresh[i]); err != nil {
			return err
		}
	}
	return nil
}

// absorb makes row, just loaded, and the rows its followed relations
// hold, the unit's: a row whose key the unit already holds is replaced by
// the unit's own, in the relations that led to it too, and is returned
// instead of row; relations loaded on row but not on the unit's row are
// moved to it. seen maps the rows absorbed so far to the unit's.
func (u *Unit) absorb(tr tracker, row any, seen map[any]any) (any, error) {
	if c, ok := seen[row]; ok {
		return c, nil
	}
	canon, err := tr.canonical(u, row)
	if err != nil {
		return nil, err
	}
	if canon == nil {
		canon = row
	}
	seen[row] = canon
	s := tr.schema()
	var firstErr error
	sub := func(t tracker) func(any) any {
		return func(r any) any {
			c, err := u.absorb(t, r, seen)
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return r
			}
			return c
		}
	}
	for _, e := range tr.followed() {
		ps, cs := e.schemas()
		if ps == s {
			e.mapChildren(row, sub(e.childTable(u)))
		}
		if cs == s {
			e.mapParent(row, sub(e.parentTable(u)))
		}
		if canon != row {
			e.copyLoaded(row, canon)
			tr.relink(canon, e)
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if canon == row {
		if err := tr.trackRow(u, row); err != nil {
			return nil, err
		}
	}
	return canon, nil
}
