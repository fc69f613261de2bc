package uow

import (
	"container/heap"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
	"github.com/genrepo/genrepo/internal/store"
	"github.com/genrepo/genrepo/mapped"
)

// link says that a flush sets child's foreign key (e's) from parent's key.
type link struct {
	child, parent any
	e             edge
}

// plan is what a flush found by following relations from the unit's rows:
// the foreign keys to set, by child row; what undoes the rows it scheduled
// for insertion, should the flush be refused before sending anything; and
// the orphans' deletions and releases, applied once it is not, each
// returning what takes it back (for Plan, which sends nothing).
type plan struct {
	links   map[any][]link
	undo    undos
	effects []func() func()
	pairs   []pairs
}

// pairs is the change to one row's many-to-many collection: the rows
// added to it and those taken out. A collection that was not loaded with
// its stored row (nil) and set since is only added to, and some of the
// pairs it adds may be stored already.
type pairs struct {
	e              pairer
	row            any
	added, dropped []any
	unloaded       bool
}

// write inserts and deletes the association rows of the change, leaving
// out the pairs of an unloaded collection that are stored already.
func (ch pairs) write(ctx context.Context, ex dialect.Executor) error {
	added := ch.added
	if ch.unloaded {
		stored, err := ch.e.linked(ctx, ex, ch.row, added)
		if err != nil {
			return err
		}
		added = nil
		for i, b := range ch.added {
			if !stored[i] {
				added = append(added, b)
			}
		}
	}
	return ch.e.pairs(ctx, ex, ch.row, added, ch.dropped)
}

// undos take back what a flush prepared, should it be refused before
// sending anything.
type undos []func()

// run takes everything back, last first.
func (us undos) run() {
	for i := len(us) - 1; i >= 0; i-- {
		us[i]()
	}
}

// cancel takes back what discover scheduled: the flush is refused.
func (p *plan) cancel() { p.undo.run() }

// apply schedules the deletion or the release of the orphans discover
// found, returning what takes that back.
func (p *plan) apply() undos {
	undo := make(undos, len(p.effects))
	for i, f := range p.effects {
		undo[i] = f()
	}
	return undo
}

// adopt sets row's foreign keys from its parents' keys, as the links say.
func (p *plan) adopt(row any) {
	for _, l := range p.links[row] {
		l.e.adopt(l.child, l.parent)
	}
}

// populate points each linked child at its parent (see edge.populate).
// For the rows the flush inserted (inserted), it records what puts each
// pointer back should the unit, or the nested unit, be rolled back, as
// their keys are cleared; a loaded row keeps the pointer as it keeps its
// foreign key (a nested unit restores both with the row's values).
func (p *plan) populate(u *Unit, inserted map[any]bool) {
	for _, links := range p.links {
		for _, l := range links {
			if undo := l.e.populate(l.child, l.parent); undo != nil && inserted[l.child] {
				l.e.childTable(u).wrote(undo)
			}
		}
	}
}

// claim identifies a child's foreign key, which one parent may claim.
type claim struct {
	child any
	fk    *mapped.ColumnInfo
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
// round are independent, sent together. A table's rows are inserted in the
// order they were added, as SQLAlchemy inserts them, but for a row added
// before a parent of its own table, which goes after it: so generated keys
// follow the order of adding. A cycle of references among new rows is an
// error naming their tables.
func (u *Unit) rounds(p *plan) ([][]insertRound, error) {
	remaining := map[mapped.Schema][]any{}
	left := map[any]bool{}
	var tables []mapped.Schema
	for _, s := range u.order {
		if rows := u.tables[s].pendingInserts(); len(rows) > 0 {
			remaining[s] = parentsFirst(rows, s, p)
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
				waiting[mapped.FullName(s)] = true
			}
		}
		for _, s := range tables {
			rows := remaining[s]
			if len(rows) == 0 || waitsForTable(s, waiting) {
				continue
			}
			// The rows up to the first that waits for a row of its own
			// table: none jumps ahead of a row added before it.
			n := 0
			for n < len(rows) && !waitsForRow(p.links[rows[n]], s, left) {
				n++
			}
			if n > 0 {
				round = append(round, insertRound{u.tables[s], rows[:n:n]})
				remaining[s] = rows[n:]
			}
		}
		if len(round) == 0 {
			return nil, fmt.Errorf("uow: flush: new rows of %s reference each other in a cycle: no order of INSERTs gives every row its parent's key first; insert one side with the reference unset, flush, then set it",
				strings.Join(cycle(tables, remaining, p, left), ", "))
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

// parentsFirst returns rows, the new rows of table s in the order they
// were added, with each row moved after the rows of s it is linked to as a
// child (a self-referential relation), and otherwise in the same order:
// the topological order that takes, at each step, the earliest-added row
// whose parents are placed. Rows in a cycle keep their place at the end,
// where rounds reports them.
func parentsFirst(rows []any, s mapped.Schema, p *plan) []any {
	if len(p.links) == 0 {
		return rows // no row is linked to another
	}
	index := make(map[any]int, len(rows))
	for i, r := range rows {
		index[r] = i
	}
	waits := make([]int, len(rows)) // how many parents of each row are unplaced
	children := make([][]int, len(rows))
	linked := false
	for i, r := range rows {
		for _, l := range p.links[r] {
			if ps, _ := l.e.schemas(); ps != s {
				continue
			}
			if j, ok := index[l.parent]; ok && j != i {
				waits[i]++
				children[j] = append(children[j], i)
				linked = true
			}
		}
	}
	if !linked {
		return rows
	}
	ready := &intHeap{}
	for i, n := range waits {
		if n == 0 {
			heap.Push(ready, i)
		}
	}
	out := make([]any, 0, len(rows))
	placed := make([]bool, len(rows))
	for ready.Len() > 0 {
		i := heap.Pop(ready).(int)
		out, placed[i] = append(out, rows[i]), true
		for _, c := range children[i] {
			if waits[c]--; waits[c] == 0 {
				heap.Push(ready, c)
			}
		}
	}
	for i, r := range rows {
		if !placed[i] {
			out = append(out, r)
		}
	}
	return out
}

// intHeap is a min-heap of row indexes, for parentsFirst.
type intHeap []int

func (h intHeap) Len() int           { return len(h) }
func (h intHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h intHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *intHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *intHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// cycle returns the names of the tables whose rows left to insert wait,
// through the tables they reference, for rows of their own table: those
// of a cycle, not those merely waiting for one.
func cycle(tables []mapped.Schema, remaining map[mapped.Schema][]any, p *plan, left map[any]bool) []string {
	waits := map[string][]string{}
	for _, s := range tables {
		if len(remaining[s]) == 0 {
			continue
		}
		name := mapped.FullName(s)
		for _, c := range s.Info().Columns {
			if ref := c.References; ref != nil && mapped.FullName(ref.Table) != name {
				waits[name] = append(waits[name], mapped.FullName(ref.Table))
			}
		}
		if slices.ContainsFunc(remaining[s], func(r any) bool { return waitsForRow(p.links[r], s, left) }) {
			waits[name] = append(waits[name], name)
		}
	}
	var names []string
	for _, s := range tables {
		if name := mapped.FullName(s); len(remaining[s]) > 0 && reaches(waits, name, name, map[string]bool{}) {
			names = append(names, name)
		}
	}
	return names
}

// reaches reports whether table to is reached from table from by
// following waits.
func reaches(waits map[string][]string, from, to string, seen map[string]bool) bool {
	for _, next := range waits[from] {
		if next == to {
			return true
		}
		if !seen[next] {
			seen[next] = true
			if reaches(waits, next, to, seen) {
				return true
			}
		}
	}
	return false
}

// waitsForTable reports whether s references another table that still has
// rows to insert (is waiting).
func waitsForTable(s mapped.Schema, waiting map[string]bool) bool {
	for _, c := range s.Info().Columns {
		if ref := c.References; ref != nil && mapped.FullName(ref.Table) != mapped.FullName(s) && waiting[mapped.FullName(ref.Table)] {
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

// Flush writes the unit's pending work in its transaction. It first follows
// the relations declared with Follow, FollowOne, FollowParent and
// FollowManyToMany from every row the unit holds, adding the related rows it
// does not know and deleting or releasing orphans. Then it inserts the added
// rows, parents before their children, in rounds: each round's rows in as
// few multi-row INSERTs as the dialect allows, each table's in the order
// they were added (so that generated keys follow it), sent together in one
// batch (one round trip on PostgreSQL), filling generated keys that set the
// foreign keys of the next round's rows; then it writes the association rows
// of the many-to-many collections that changed. It updates the changed
// columns of the loaded rows, and deletes the deleted rows, children's
// tables first, running their relations' cascades first. The last round of
// INSERTs, the UPDATEs and the DELETEs of tables without cascades go in one
// batch together, unless an UPDATE needs a key that round fills in, table by
// table (referenced tables first) with each table's UPDATEs before its
// INSERTs, then the DELETEs; a table with cascades, or whose rows to delete
// reference each other, is deleted from afterwards, a batch per round. Then
// it reads back the keys of the live rows that cascades may have reached
// (one SELECT per table whose foreign keys cascade), forgetting the rows
// they deleted and clearing the keys they set to NULL. Unchanged rows cost
// no statement. Afterwards the written rows count as loaded, with their
// current values as the baseline of later changes.
//
// A row deleted and a new row with the same key (set explicitly), added
// or reached through a followed relation, become an UPDATE of the stored
// row to the new row's values, which is the unit's from then on. If the flush cannot be ordered (a cycle of
// references among new rows, say) or a loaded row's key changed, it
// returns an error before sending anything, and the unit stays usable. If a statement
// fails, the unit is failed: the error, and every later one until
// Rollback, matches ErrFailed and wraps the statement's.
func (u *Unit) Flush(ctx context.Context) error {
	if err := u.usable("flush"); err != nil {
		return err
	}
	fp, _, err := u.flushPlan()
	if err != nil {
		return err
	}
	if err := u.write(ctx, fp); err != nil {
		return u.fail(err)
	}
	return nil
}

// flushPlan makes the plan of a flush and orders what it sends into steps
// (see schedule), applying the orphans' deletions and releases it found,
// sending nothing. What it returns with the plan takes all that back; on
// error it was taken back already.
func (u *Unit) flushPlan() (*flushPlan, undos, error) {
	p, rounds, err := u.planFlush()
	if err != nil {
		return nil, nil, err
	}
	undo := append(slices.Clone(p.undo), p.apply()...)
	fp, err := u.schedule(p, rounds)
	if err != nil {
		undo.run()
		return nil, nil, errs.Errorf("uow: flush: %w", err)
	}
	return fp, undo, nil
}

// planFlush makes the plan of a flush and orders its INSERTs into rounds,
// sending nothing: a row deleted and a new row with its key become an
// update, loaded rows' keys are checked, and relations are followed
// (discover). On error the unit is as it was.
func (u *Unit) planFlush() (*plan, [][]insertRound, error) {
	// Rows added with the key of a row to delete become updates of the
	// stored row, taken back with the plan.
	var replaced undos
	for _, s := range u.order {
		us, err := u.tables[s].replace(u)
		replaced = append(replaced, us...)
		if err == nil {
			err = u.tables[s].checkKeys(u)
		}
		if err != nil {
			replaced.run()
			return nil, nil, err
		}
	}
	p, err := u.discover()
	if err != nil {
		replaced.run()
		return nil, nil, err
	}
	// A row reached through a relation may take the key of a row deleted
	// too: then the plan is made again, from the replaced row.
	if undo, err := u.replaceReached(); err != nil {
		p.cancel()
		replaced.run()
		return nil, nil, err
	} else if len(undo) > 0 {
		// The first plan's scheduling is taken back now and, idempotent,
		// once more after the replacements' undo, which puts back rows
		// in the table's new rows that only the first plan had reached.
		first := p.undo
		p.cancel()
		if p, err = u.discover(); err != nil {
			undo.run()
			first.run()
			replaced.run()
			return nil, nil, err
		}
		p.undo = append(append(first, undo...), p.undo...)
	}
	p.undo = append(replaced, p.undo...)
	rounds, err := u.rounds(p)
	if err != nil {
		p.cancel()
		return nil, nil, err
	}
	return p, rounds, nil
}

// deleteOrder returns the tables with rows to delete, referenced tables
// first.
func (u *Unit) deleteOrder() ([]mapped.Schema, error) {
	var deletes []mapped.Schema
	for _, s := range u.order {
		if u.tables[s].hasDeletes() {
			deletes = append(deletes, s)
		}
	}
	return mapped.Sort(deletes)
}

// write sends a planned flush, step by step, then reads back what
// cascades changed and makes the written rows the baseline of later
// changes.
func (u *Unit) write(ctx context.Context, fp *flushPlan) error {
	for _, st := range fp.steps {
		if err := st.send(ctx, u, fp.p); err != nil {
			return err
		}
	}
	if len(fp.p.links) > 0 {
		inserted := map[any]bool{}
		for _, st := range fp.steps {
			for _, o := range st.ops {
				if o.kind == opInsert {
					for _, r := range o.rows {
						inserted[r] = true
					}
				}
			}
		}
		fp.p.populate(u, inserted)
	}
	if fp.recheck {
		for _, s := range slices.Clone(u.order) {
			if err := u.tables[s].recheck(ctx, u); err != nil {
				return err
			}
		}
	}
	for _, s := range u.order {
		if err := u.tables[s].rebase(u); err != nil {
			return err
		}
	}
	return nil
}

// replaceReached turns the rows that discover scheduled with the key of a
// row to delete into updates of the stored row, as Flush does for the rows
// added by Add, returning what takes that back.
func (u *Unit) replaceReached() (undos, error) {
	var undo undos
	for _, s := range slices.Clone(u.order) {
		us, err := u.tables[s].replace(u)
		undo = append(undo, us...)
		if err != nil {
			undo.run()
			return nil, err
		}
	}
	return undo, nil
}

// referencesItself reports whether s has a foreign key to itself.
func referencesItself(s mapped.Schema) bool {
	for _, c := range s.Info().Columns {
		if ref := c.References; ref != nil && ref.Table.Info() == s.Info() {
			return true
		}
	}
	return false
}

// dependencyOrder returns the unit's tables, each after the tables it
// references; in the order first met should their references form a
// cycle, which only DDL written by hand can make.
func (u *Unit) dependencyOrder() []mapped.Schema {
	sorted, err := mapped.Sort(slices.Clone(u.order))
	if err != nil {
		return slices.Clone(u.order)
	}
	return sorted
}

// batch is statements of a flush to send together, with what records
// their effects once they succeeded and what takes back the keys they
// filled in when they did not.
type batch struct {
	stmts []dialect.Statement
	after []func()
	preps []*store.PreparedInsert
}

// addInserts adds the INSERTs of one round, after setting the rows'
// foreign keys from their parents' keys.
func (b *batch) addInserts(u *Unit, p *plan, round []insertRound) error {
	for _, ir := range round {
		for _, r := range ir.rows {
			for _, l := range p.links[r] {
				ir.tr.adopting(u, r, l.e.fk())
			}
			p.adopt(r)
		}
		prep, fresh, err := ir.tr.prepareInsert(u, ir.rows)
		if err != nil {
			return err
		}
		b.stmts = append(b.stmts, prep.Statements...)
		b.preps = append(b.preps, prep)
		b.after = append(b.after, func() { ir.tr.inserted(u, ir.rows, fresh) })
	}
	return nil
}

// send sends the batch and records its effects.
func (b *batch) send(ctx context.Context, u *Unit) error {
	for _, prep := range b.preps {
		// A key the database would leave NULL (SQLite's BIGINT PRIMARY
		// KEY) is refused before anything is sent.
		if err := prep.KeyFilled(ctx, u.tx); err != nil {
			return err
		}
	}
	if err := dialect.SendBatch(ctx, u.tx, b.stmts); err != nil {
		// Statements before the failing one may have filled in keys:
		// none of them is stored.
		for _, prep := range b.preps {
			prep.Undo()
		}
		return store.Explain(ctx, u.tx, err)
	}
	for _, f := range b.after {
		f()
	}
	return nil
}

// needsKeysOf reports whether a loaded row takes a foreign key from a row
// of round, which its UPDATE then needs before it is bound.
func (u *Unit) needsKeysOf(p *plan, round []insertRound) bool {
	if len(p.links) == 0 {
		return false
	}
	in := map[any]bool{}
	for _, ir := range round {
		for _, r := range ir.rows {
			in[r] = true
		}
	}
	for child, links := range p.links {
		for _, l := range links {
			if in[l.parent] && !in[child] {
				return true
			}
		}
	}
	return false
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
			// Only what was not loaded on the unit's row is taken, and
			// only that becomes its baseline: changes made to the rest
			// since it was loaded stay changes.
			asParent, asChild := e.copyLoaded(row, canon)
			if asParent {
				tr.relink(canon, e)
			}
			if asChild {
				tr.relink(canon, childSide{e})
			}
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
