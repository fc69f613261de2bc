package uow

import (
	"fmt"
	"slices"
)

// discover follows the relations of every row the unit holds: rows they
// lead to that the unit does not know are scheduled for insertion, links
// are recorded where a reference is new, and children taken out of a
// loaded collection are to be deleted or released (plan.apply). Nothing is
// sent; an error leaves the database and the unit untouched.
func (u *Unit) discover() (_ *plan, err error) {
	d := newDiscovery(u)
	defer func() {
		if err != nil {
			d.p.cancel()
		}
	}()
	for i := 0; i < len(d.queue); i++ {
		if err := d.visit(d.queue[i]); err != nil {
			return nil, err
		}
	}
	if err := d.checkKept(); err != nil {
		return nil, err
	}
	if err := d.settleOrphans(); err != nil {
		return nil, err
	}
	if err := d.settleReleased(); err != nil {
		return nil, err
	}
	return d.p, nil
}

// discovery is the state of one discover: the plan it fills, the rows
// queued to visit and those seen, which child each foreign key is claimed
// for, and the children taken out of collections (orphans) or whose
// pointer to their parent was cleared (released).
type discovery struct {
	u                 *Unit
	p                 *plan
	claimed           map[claim]any
	kept              map[claim]any // the parent whose loaded collection still holds a child it held
	queue             []item
	seen              map[any]bool
	orphans, released []orphan
}

// item is a row to visit, with its table's record.
type item struct {
	tr    tracker
	row   any
	added bool
}

// orphan is a child taken away from parent through e.
type orphan struct {
	child, parent any
	e             edge
}

// release is the effect that sets the orphan's foreign key to NULL, and
// its pointer to the parent (Back) to nil: it returns what puts the
// child's values back as they were.
func (o orphan) release(u *Unit) func() func() {
	return func() func() {
		restore := o.e.childTable(u).keep(o.child)
		o.e.release(o.child)
		o.e.populate(o.child, nil)
		return restore
	}
}

// newDiscovery queues every row of the tables with followed relations.
// Its maps are made only when the unit holds such a table: without one,
// nothing is visited and nothing written to them.
func newDiscovery(u *Unit) *discovery {
	d := &discovery{u: u, p: &plan{}}
	for _, s := range slices.Clone(u.order) {
		tr := u.tables[s]
		if len(tr.followed()) == 0 {
			continue
		}
		if d.seen == nil {
			d.p.links, d.claimed, d.seen = map[any][]link{}, map[claim]any{}, map[any]bool{}
		}
		tr.each(func(row any, added bool) {
			d.seen[row] = true
			d.queue = append(d.queue, item{tr, row, added})
		})
	}
	return d
}

// addLink records that child's foreign key through e is to be parent's
// key, refusing a child two parents claim through the same key.
func (d *discovery) addLink(child, parent any, e edge) error {
	c := claim{child, e.fk()}
	if prev, ok := d.claimed[c]; ok && prev != parent {
		ps, cs := e.schemas()
		return fmt.Errorf("uow: flush: a %s row is claimed by two %s rows through %s.%s; take it out of one of them",
			cs.TableName(), ps.TableName(), cs.TableName(), e.fk().Name)
	}
	if _, ok := d.claimed[c]; !ok {
		d.claimed[c] = parent
		d.p.links[child] = append(d.p.links[child], link{child, parent, e})
	}
	return nil
}

// reach makes row, reached through a relation, the unit's, adding it
// when the unit does not know it, and queues it.
func (d *discovery) reach(tr tracker, row any) {
	st := tr.status(row)
	if st == removed {
		// Deleted by an earlier flush and still in a collection or
		// behind a pointer: never stored again that way.
		return
	}
	if st == untracked {
		tr.schedule(row)
		d.p.undo = append(d.p.undo, func() { tr.unschedule(row) })
	}
	if !d.seen[row] && st != deleting {
		d.seen[row] = true
		d.queue = append(d.queue, item{tr, row, tr.status(row) == adding})
	}
}

// visit follows every followed relation of a queued row, on whichever
// side of it the row is.
func (d *discovery) visit(it item) error {
	s := it.tr.schema()
	base := it.tr.links(it.row)
	for _, e := range it.tr.followed() {
		ps, cs := e.schemas()
		if pe, ok := e.(pairer); ok {
			if ps == s {
				d.visitPairs(it, e, pe, base)
			}
			continue
		}
		if ps == s {
			if err := d.visitChildren(it, e, base); err != nil {
				return err
			}
		}
		if cs == s {
			if err := d.visitParent(it, e, base); err != nil {
				return err
			}
		}
	}
	return nil
}

// visitPairs finds the pairs added to and taken out of a row's loaded
// many-to-many collection.
func (d *discovery) visitPairs(it item, e edge, pe pairer, base map[edge]any) {
	kids, ok := e.children(it.row)
	if !ok {
		return
	}
	was, _ := base[e].(map[any]bool)
	ct := e.childTable(d.u)
	ch := pairs{e: pe, row: it.row, unloaded: !it.added && was == nil}
	now := make(map[any]bool, len(kids))
	for _, k := range kids {
		d.reach(ct, k)
		now[k] = true
		if st := ct.status(k); (it.added || !was[k]) && st != deleting && st != removed {
			ch.added = append(ch.added, k)
		}
	}
	if !it.added {
		for k := range was {
			if st := ct.status(k); !now[k] && st != removed {
				ch.dropped = append(ch.dropped, k)
			}
		}
	}
	if len(ch.added)+len(ch.dropped) > 0 {
		d.p.pairs = append(d.p.pairs, ch)
	}
}

// visitChildren follows a parent's loaded collection (or pointer to its
// child): children new to it are linked to it, and those taken out since
// it was loaded are orphans.
func (d *discovery) visitChildren(it item, e edge, base map[edge]any) error {
	kids, ok := e.children(it.row)
	if !ok {
		return nil
	}
	was, _ := base[e].(map[any]bool)
	ct := e.childTable(d.u)
	for _, k := range kids {
		d.reach(ct, k)
		if it.added || !was[k] {
			if err := d.addLink(k, it.row, e); err != nil {
				return err
			}
			continue
		}
		if d.kept == nil {
			d.kept = map[claim]any{}
		}
		d.kept[claim{k, e.fk()}] = it.row
	}
	if was == nil || it.added {
		return nil
	}
	now := make(map[any]bool, len(kids))
	for _, k := range kids {
		now[k] = true
	}
	for k := range was {
		if !now[k] {
			d.orphans = append(d.orphans, orphan{k, it.row, e})
		}
	}
	return nil
}

// visitParent follows a child's pointer to its parent: a new parent is
// linked, and a pointer set to nil since the child was loaded releases it.
func (d *discovery) visitParent(it item, e edge, base map[edge]any) error {
	par, ok := e.parentOf(it.row)
	if !ok {
		return nil
	}
	was, recorded := base[childSide{e}]
	switch {
	case par != nil:
		d.reach(e.parentTable(d.u), par)
		if it.added || !recorded || was != par {
			return d.addLink(it.row, par, e)
		}
	case recorded && was != nil && !it.added:
		d.released = append(d.released, orphan{it.row, was, e})
	}
	return nil
}

// checkKept refuses a child that a parent's loaded collection still holds
// as it did and that another parent claims (by its collection, or the
// child's pointer to it): moving it silently would leave it in both.
func (d *discovery) checkKept() error {
	for c, parent := range d.kept {
		if other, ok := d.claimed[c]; ok && other != parent {
			for _, l := range d.p.links[c.child] {
				if l.e.fk() == c.fk {
					ps, cs := l.e.schemas()
					return fmt.Errorf("uow: flush: a %s row is claimed by two %s rows through %s.%s: one's collection still holds it while another claims it; take it out of one of them",
						cs.TableName(), ps.TableName(), cs.TableName(), c.fk.Name)
				}
			}
		}
	}
	return nil
}

// settleOrphans schedules, for each child taken out of a collection and
// not moved to another, its deletion (model.DeleteOrphans) or its release (its
// foreign key set to NULL), refusing a release of a NOT NULL key.
func (d *discovery) settleOrphans() error {
	for _, o := range d.orphans {
		if _, moved := d.claimed[claim{o.child, o.e.fk()}]; moved {
			continue
		}
		ct := o.e.childTable(d.u)
		if ct.status(o.child) != loaded || !o.e.belongs(o.child, o.parent) {
			continue
		}
		if o.e.orphans(d.u.model) {
			d.p.effects = append(d.p.effects, func() func() {
				ct.scheduleDelete(o.child)
				return func() { ct.unscheduleDelete(o.child) }
			})
			continue
		}
		d.p.effects = append(d.p.effects, o.release(d.u))
		if !o.e.releasable() {
			ps, cs := o.e.schemas()
			return fmt.Errorf("uow: flush: a %s taken out of its %s's collection cannot be kept: %s.%s is NOT NULL; declare model.DeleteOrphans for the relation, delete the row, or make the key nullable",
				cs.TableName(), ps.TableName(), cs.TableName(), o.e.fk().Name)
		}
	}
	return nil
}

// settleReleased schedules the release of each child whose pointer to its
// parent was set to nil and that no other parent claims, refusing a NOT
// NULL key.
func (d *discovery) settleReleased() error {
	for _, o := range d.released {
		if _, moved := d.claimed[claim{o.child, o.e.fk()}]; moved {
			continue
		}
		d.p.effects = append(d.p.effects, o.release(d.u))
		if !o.e.releasable() {
			ps, cs := o.e.schemas()
			return fmt.Errorf("uow: flush: a %s's %s was set to nil, but %s.%s is NOT NULL; delete the row or give it another %s",
				cs.TableName(), ps.TableName(), cs.TableName(), o.e.fk().Name, ps.TableName())
		}
	}
	return nil
}
