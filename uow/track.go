package uow

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
	"github.com/genrepo/genrepo/internal/keys"
	"github.com/genrepo/genrepo/internal/rowscan"
	"github.com/genrepo/genrepo/internal/store"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

// tracker is a unit's record of one table, with its row type erased, so
// that a flush can walk the tables in foreign-key order and follow
// relations between them. Rows are *T in interface values.
type tracker interface {
	schema() mapped.Schema
	// followed returns the followed relations with the table on either
	// side.
	followed() []edge
	// status tells what the unit knows of row.
	status(row any) status
	// schedule adds row, which the unit does not know, for insertion;
	// unschedule takes it back.
	schedule(row any)
	unschedule(row any)
	// scheduleDelete schedules row, a loaded row, for deletion;
	// unscheduleDelete takes it back.
	scheduleDelete(row any)
	unscheduleDelete(row any)
	// keep returns what puts row's values back as they are now.
	keep(row any) func()
	// canonical returns the unit's row with row's key, or nil.
	canonical(u *Unit, row any) (any, error)
	// trackRow records row, whose key the unit does not know, as loaded.
	trackRow(u *Unit, row any) error
	// links returns the baseline of row's followed relation e: the set
	// of children of a parent, the parent of a child.
	links(row any) map[edge]any
	// relink records the current state of one side of row's followed
	// relation as its baseline: k is the relation, for row as its parent,
	// or childSide{relation}, for row as its child.
	relink(row any, k edge)
	// each calls fn for the live loaded rows, then the rows to insert.
	each(fn func(row any, added bool))
	pendingInserts() []any
	prepareInsert(u *Unit, rows []any) (*store.PreparedInsert, []bool, error)
	inserted(u *Unit, rows []any, fresh []bool)
	// adopting records that a flush is about to set row's foreign key
	// col, to clear it again should the insert be undone, when it was
	// unset (zero or NULL).
	adopting(u *Unit, row any, col *mapped.ColumnInfo)
	// planUpdates finds the loaded rows a flush updates, reporting
	// whether there are any; addUpdates adds their UPDATEs to b, after
	// setting the foreign keys p's links give them.
	planUpdates(u *Unit, p *plan) (bool, error)
	addUpdates(u *Unit, p *plan, b *batch) error
	hasDeletes() bool
	// checkKeys refuses a loaded row whose key columns changed.
	checkKeys(u *Unit) error
	// replace turns a row deleted and a new row added with its key into
	// an update of the stored row to the new row's values, returning what
	// takes that back.
	replace(u *Unit) (undos, error)
	// planDeletes reports whether the DELETEs of the rows to delete can
	// join a batch: no cascades to run first, no rows referencing each
	// other; addDeletes adds them to b.
	planDeletes(u *Unit) (bool, error)
	addDeletes(u *Unit, b *batch) error
	// describe names row in a flush plan's text: its table and key, or
	// its place among the table's new rows; describeOp describes what an
	// operation of the plan on the table's rows writes, row by row.
	describe(u *Unit, row any) string
	describeOp(u *Unit, p *plan, kind opKind) []string
	deleteAll(ctx context.Context, u *Unit) error
	recheck(ctx context.Context, u *Unit) error
	// rereads reports whether recheck, after the flush's deletes, would
	// read rows back: cascades reach the table and it holds rows.
	rereads(u *Unit) bool
	rebase(u *Unit) error
	forget()
	// wrote records what takes back a change a flush made to a row
	// besides its columns (a pointer to its parent), for forget and
	// Nested's restore.
	wrote(undo func())
	bind(tx dialect.Tx)
	save() func()
}

// status is what a unit knows of a row.
type status uint8

const (
	untracked status = iota
	loaded           // loaded or written by the unit
	adding           // to be inserted at the next flush
	deleting         // to be deleted at the next flush
	removed          // deleted by a flush of the unit
)

// entry is a row loaded or written by the unit, with the driver arguments
// of its columns as last read or written: the baseline of its changes; and
// the baseline of its followed relations.
type entry[T any] struct {
	row   *T
	key   any
	snap  []any
	links map[edge]any
	gone  bool // deleted by a flush
	// next and cols are the row's values and the columns that changed,
	// as the plan of a flush found them: next is the baseline once the
	// UPDATE succeeded. Both are nil when the row takes foreign keys
	// from parents whose keys the flush's INSERTs may fill in: the change
	// is found when the UPDATE is bound.
	next []any
	cols []mapped.AnyColumn[T]
}

// table is what a unit tracks of one table: its loaded rows, by key and by
// pointer, and the rows to insert and delete at the next flush.
type table[T any] struct {
	t       *mapped.Table[T]
	r       *repo.Repo[T]
	st      *store.Table[T] // the statements of the unit's writes
	edges   []edge
	loaded  []*entry[T] // in the order loaded, so flushes are repeatable
	byKey   map[any]*entry[T]
	byRow   map[*T]*entry[T]
	added   []*T
	deleted []*T
	pending map[*T]bool // the rows of added (true) and deleted (false)
	removed map[*T]bool // rows a flush deleted, never added again by following relations
	// changed and doomed are the rows the plan of a flush updates, and
	// deletes in a batch (see planUpdates and planDeletes).
	changed []*entry[T]
	doomed  []*T
	// written are what a flush filled in on rows it inserted, generated
	// keys and the foreign keys set from them, each with what clears it
	// again should the inserts be undone.
	written []undo[T]
	// slab, snaps and cols hold the entries, baselines and lists of
	// changed columns not yet handed out (see carve).
	slab  []entry[T]
	snaps []any
	cols  []mapped.AnyColumn[T]
}

// undo is what clears again something a flush filled in on a row it
// inserted: fn, or, when fn is nil, row's generated key.
type undo[T any] struct {
	row *T
	fn  func()
}

// slabMax bounds the entries, baselines and column lists a table
// allocates at once, in units of one.
const slabMax = 256

// carve returns n zero values cut from *slab, its capacity n so that
// appending to it never reaches another's, allocating a larger slab when
// *slab has no room: a few allocations for many rows. The values of one
// slab stay allocated while any is reachable, which a unit, short-lived,
// affords.
func carve[E any](slab *[]E, n int) []E {
	if cap(*slab)-len(*slab) < n {
		*slab = make([]E, 0, max(min(2*cap(*slab), slabMax*n), 8*n))
	}
	i := len(*slab)
	*slab = (*slab)[:i+n]
	return (*slab)[i : i+n : i+n]
}

// newEntry returns a zero entry carved from tb's slab of them.
func (tb *table[T]) newEntry() *entry[T] { return &carve(&tb.slab, 1)[0] }

// tableOf returns the unit's record of t, starting one when t is new to it.
func tableOf[T any](u *Unit, t *mapped.Table[T]) *table[T] {
	if tr, ok := u.tables[t]; ok {
		return tr.(*table[T])
	}
	r, st := repoOf(u.tx, t)
	tb := &table[T]{t: t, r: r, st: st, edges: edgesOf(u, t), byKey: map[any]*entry[T]{},
		byRow: map[*T]*entry[T]{}, pending: map[*T]bool{}}
	u.tables[t] = tb
	u.order = append(u.order, t)
	return tb
}

// repoKey names what t.Memo keeps per dialect for units (a *shared[T]),
// whose caches of statement text every unit shares.
type repoKey struct{ dialect string }

// shared is what units on one dialect share of a table: a repository,
// whose cache Repo.With shares, for reads, and the statements of writes.
type shared[T any] struct {
	r  *repo.Repo[T]
	st *store.Table[T]
}

// repoOf returns t's repository on tx and its write statements, sharing
// their caches with every other unit on the same dialect (Repo.With
// shares it only with a dialect of the same name and features; another
// gets a fresh one, and so fresh write statements).
func repoOf[T any](tx dialect.Tx, t *mapped.Table[T]) (*repo.Repo[T], *store.Table[T]) {
	k := repoKey{tx.Dialect().Name()}
	m, ok := t.Memo(k)
	if !ok {
		m = t.Remember(k, &shared[T]{r: repo.New(dialectOnly{tx.Dialect()}, t), st: store.New(t, tx.Dialect().Features())})
	}
	s := m.(*shared[T])
	if f := tx.Dialect().Features(); f != s.st.Features() {
		return s.r.With(tx), store.New(t, f)
	}
	return s.r.With(tx), s.st
}

// dialectOnly is the executor of the repositories kept in repos, which
// only lend their cache: it runs nothing.
type dialectOnly struct{ d dialect.Dialect }

func (e dialectOnly) Dialect() dialect.Dialect { return e.d }
func (dialectOnly) Exec(context.Context, string, ...any) (int64, error) {
	return 0, errNoExecutor
}
func (dialectOnly) Query(context.Context, string, ...any) (dialect.Rows, error) {
	return nil, errNoExecutor
}

var errNoExecutor = errors.New("uow: a shared repository ran a statement outside a unit")

func (tb *table[T]) schema() mapped.Schema { return tb.t }
func (tb *table[T]) followed() []edge      { return tb.edges }

func (tb *table[T]) status(row any) status {
	r := row.(*T)
	if added, ok := tb.pending[r]; ok {
		if added {
			return adding
		}
		return deleting
	}
	if _, ok := tb.byRow[r]; ok {
		return loaded
	}
	if tb.removed[r] {
		return removed
	}
	return untracked
}

func (tb *table[T]) schedule(row any) {
	r := row.(*T)
	tb.add(r)
	tb.pending[r] = true
}

func (tb *table[T]) unschedule(row any) {
	r := row.(*T)
	tb.added = slices.DeleteFunc(tb.added, func(x *T) bool { return x == r })
	delete(tb.pending, r)
}

func (tb *table[T]) scheduleDelete(row any) {
	r := row.(*T)
	tb.deleted = append(tb.deleted, r)
	tb.pending[r] = false
}

func (tb *table[T]) unscheduleDelete(row any) {
	r := row.(*T)
	tb.deleted = slices.DeleteFunc(tb.deleted, func(x *T) bool { return x == r })
	delete(tb.pending, r)
}

func (tb *table[T]) keep(row any) func() {
	r := row.(*T)
	was := *r
	return func() { *r = was }
}

// add appends r to the rows to insert, room for a few made at once.
func (tb *table[T]) add(r *T) {
	if tb.added == nil {
		tb.added = make([]*T, 0, 8)
	}
	tb.added = append(tb.added, r)
}

// rowKey returns the identity of row's stored key.
func (tb *table[T]) rowKey(u *Unit, row *T) (any, error) {
	return rowscan.Identity(u.f, tb.t, row)
}

// lookup returns the loaded row with key, given as to Get, or nil when
// none is loaded or the key does not fit (Get's statement then reports
// why).
func (tb *table[T]) lookup(u *Unit, key []any) *entry[T] {
	pk := tb.t.PrimaryKey()
	if len(key) != len(pk) {
		return nil
	}
	args := make([]any, len(pk))
	for i, f := range pk {
		a, err := f.KeyArg(u.f, key[i])
		if err != nil {
			return nil
		}
		args[i] = a
	}
	return tb.byKey[keys.Identity(args)]
}

// snapshot returns the driver arguments of row's columns, copied so that
// changing the row in place (a byte of a []byte, the target of a pointer)
// leaves them as they were.
func (tb *table[T]) snapshot(u *Unit, row *T) ([]any, error) {
	fields := tb.t.Fields()
	snap := carve(&tb.snaps, len(fields))
	for i, f := range fields {
		a, err := f.Bind(u.f, row)
		if err != nil {
			return nil, err
		}
		snap[i] = own(a)
	}
	return snap, nil
}

// linkState is the baseline of row's followed relation e: the set of its
// loaded children when row is e's parent, its parent when row is e's
// child (a self-referential relation records both, under its parent and
// child keys).
func (tb *table[T]) linkState(row *T, m map[edge]any) map[edge]any {
	for _, e := range tb.edges {
		ps, cs := e.schemas()
		if ps == mapped.Schema(tb.t) {
			if kids, ok := e.children(row); ok {
				set := make(map[any]bool, len(kids))
				for _, k := range kids {
					set[k] = true
				}
				if m == nil {
					m = map[edge]any{}
				}
				m[e] = set
			}
		}
		if cs == mapped.Schema(tb.t) {
			if p, ok := e.parentOf(row); ok {
				if m == nil {
					m = map[edge]any{}
				}
				m[childSide{e}] = p
			}
		}
	}
	return m
}

// childSide keys the child side of a relation in an entry's links, apart
// from its parent side when the relation is self-referential.
type childSide struct{ edge }

func (tb *table[T]) links(row any) map[edge]any {
	if e, ok := tb.byRow[row.(*T)]; ok {
		return e.links
	}
	return nil
}

func (tb *table[T]) relink(row any, k edge) {
	if en, ok := tb.byRow[row.(*T)]; ok {
		fresh := tb.linkState(en.row, nil)
		links := make(map[edge]any, len(en.links)+1)
		for key, v := range en.links {
			links[key] = v
		}
		if v, ok := fresh[k]; ok {
			links[k] = v
		}
		en.links = links
	}
}

// reserve makes room for n more loaded rows at once, rather than as they
// come: in the list of them and in the slabs of entries and baselines.
// (Sizing the maps anew costs as many allocations as their growth.)
func (tb *table[T]) reserve(n int) {
	tb.loaded = slices.Grow(tb.loaded, n)
	if cap(tb.slab)-len(tb.slab) < n {
		tb.slab = make([]entry[T], 0, min(n, slabMax))
	}
	if k := len(tb.t.Fields()); cap(tb.snaps)-len(tb.snaps) < n*k {
		tb.snaps = make([]any, 0, min(n, slabMax)*k)
	}
}

// track returns the unit's row with row's key: the one already loaded, or
// row itself, recorded with its current values as its baseline.
func (tb *table[T]) track(u *Unit, row *T) (*T, error) {
	key, err := tb.rowKey(u, row)
	if err != nil {
		return nil, err
	}
	if e, ok := tb.byKey[key]; ok {
		return e.row, nil
	}
	snap, err := tb.snapshot(u, row)
	if err != nil {
		return nil, err
	}
	e := tb.newEntry()
	*e = entry[T]{row: row, key: key, snap: snap, links: tb.linkState(row, nil)}
	tb.loaded = append(tb.loaded, e)
	tb.byKey[key] = e
	tb.byRow[row] = e
	return row, nil
}

// holder returns the unit's row for the key of row, which the unit does
// not know: the row it holds with that key, or row itself, recorded as
// loaded with its current values. A zero key is ErrNoKey.
func (tb *table[T]) holder(u *Unit, row *T) (*T, error) {
	for _, f := range tb.t.PrimaryKey() {
		if f.IsZero(row) {
			return nil, errs.Errorf("%w: %s is zero", repo.ErrNoKey, f.Name())
		}
	}
	held, err := tb.track(u, row)
	if err != nil || held != row {
		return held, err
	}
	// The stored values are unknown: should a new row take the key
	// (replace), every column of it is written.
	e := tb.byRow[row]
	for i, f := range tb.t.Fields() {
		if !f.Info().PrimaryKey && !f.Info().Version {
			e.snap[i] = unknown{}
		}
	}
	return row, nil
}

// unknown is a baseline value equal to no column value.
type unknown struct{}

func (tb *table[T]) canonical(u *Unit, row any) (any, error) {
	key, err := tb.rowKey(u, row.(*T))
	if err != nil {
		return nil, err
	}
	if e, ok := tb.byKey[key]; ok {
		return e.row, nil
	}
	return nil, nil
}

func (tb *table[T]) trackRow(u *Unit, row any) error {
	_, err := tb.track(u, row.(*T))
	return err
}

// pendingDelete reports whether row is to be deleted at the next flush.
func (tb *table[T]) pendingDelete(row *T) bool {
	added, ok := tb.pending[row]
	return ok && !added
}

func (tb *table[T]) each(fn func(row any, added bool)) {
	for _, e := range tb.loaded {
		if !e.gone && !tb.pendingDelete(e.row) {
			fn(e.row, false)
		}
	}
	for _, r := range tb.added {
		fn(r, true)
	}
}

func (tb *table[T]) pendingInserts() []any { return erased(tb.added) }

func (tb *table[T]) prepareInsert(u *Unit, rows []any) (*store.PreparedInsert, []bool, error) {
	typed := make([]*T, len(rows))
	fresh := make([]bool, len(rows))
	auto := tb.t.Auto()
	for i, r := range rows {
		typed[i] = r.(*T)
		fresh[i] = auto != nil && auto.IsZero(typed[i])
	}
	p, err := tb.st.PrepareInsert(u.tx.Dialect(), typed)
	return p, fresh, err
}

// inserted records rows, whose INSERT succeeded, as loaded.
func (tb *table[T]) inserted(u *Unit, rows []any, fresh []bool) {
	tb.reserve(len(rows))
	auto := tb.t.Auto()
	if auto != nil {
		tb.written = slices.Grow(tb.written, len(rows))
	}
	for i, r := range rows {
		row := r.(*T)
		// The row leaves pending, which holds every row of added (as
		// true): added keeps below the rows still in pending.
		delete(tb.pending, row)
		if fresh[i] && auto != nil {
			tb.written = append(tb.written, undo[T]{row: row})
		}
		// The key was just stored and read back: binding it cannot fail.
		_, _ = tb.track(u, row)
	}
	tb.added = slices.DeleteFunc(tb.added, func(r *T) bool {
		_, waiting := tb.pending[r]
		return !waiting
	})
}

func (tb *table[T]) planUpdates(u *Unit, p *plan) (bool, error) {
	tb.changed = tb.changed[:0]
	for _, e := range tb.loaded {
		if e.gone || tb.pendingDelete(e.row) {
			continue
		}
		e.next, e.cols = nil, nil
		changed := adopts(u, p.links[e.row])
		if !changed {
			var err error
			if changed, err = tb.diff(u, e); err != nil {
				return false, err
			}
		}
		if changed {
			if tb.changed == nil {
				tb.changed = make([]*entry[T], 0, len(tb.loaded))
			}
			tb.changed = append(tb.changed, e)
		}
	}
	return len(tb.changed) > 0, nil
}

// adopts reports whether links may change their child's foreign keys: a
// parent is new, or a loaded one whose key the child does not hold.
func adopts(u *Unit, links []link) bool {
	for _, l := range links {
		if l.e.parentTable(u).status(l.parent) != loaded || !l.e.belongs(l.child, l.parent) {
			return true
		}
	}
	return false
}

// diff records in e.next and e.cols the change of e's row since its
// baseline, reporting whether there is one.
func (tb *table[T]) diff(u *Unit, e *entry[T]) (bool, error) {
	fields := tb.t.Fields()
	for i, f := range fields {
		if f.Holds(e.row, e.snap[i]) {
			continue // what binding and equal would find, told without boxing
		}
		a, err := f.Bind(u.f, e.row)
		if err != nil {
			return false, err
		}
		if a = own(a); equal(a, e.snap[i]) {
			continue
		}
		if f.Info().PrimaryKey {
			return false, fmt.Errorf("uow: %s: key column %s of a loaded row changed; delete and add instead",
				tb.t.TableName(), f.Name())
		}
		if e.next == nil {
			e.next = carve(&tb.snaps, len(fields))
			copy(e.next, e.snap)
			e.cols = carve(&tb.cols, len(fields))[:0]
		}
		e.next[i] = a
		e.cols = append(e.cols, f)
	}
	return e.next != nil, nil
}

func (tb *table[T]) addUpdates(u *Unit, p *plan, b *batch) error {
	b.stmts = slices.Grow(b.stmts, len(tb.changed))
	var done []*entry[T]
	for _, e := range tb.changed {
		if e.next == nil {
			p.adopt(e.row)
			if changed, err := tb.diff(u, e); err != nil || !changed {
				if err != nil {
					return err
				}
				continue
			}
		}
		s, err := tb.st.PrepareUpdate(u.tx.Dialect(), e.row, e.cols...)
		if err != nil {
			return err
		}
		b.stmts = append(b.stmts, s)
		if done == nil {
			done = make([]*entry[T], 0, len(tb.changed))
		}
		done = append(done, e)
	}
	if done != nil {
		b.after = append(b.after, func() { tb.updated(u, done) })
	}
	return nil
}

// updated makes the values that entries' UPDATEs wrote their baseline.
func (tb *table[T]) updated(u *Unit, entries []*entry[T]) {
	v := tb.t.Version()
	for _, e := range entries {
		if v != nil {
			// The UPDATE bumped the row's version: that is no change to
			// write.
			if a, err := v.Bind(u.f, e.row); err == nil {
				e.next[v.Info().Pos] = own(a)
			}
		}
		e.snap, e.next, e.cols = e.next, nil, nil
	}
}

func (tb *table[T]) checkKeys(u *Unit) error {
	for _, e := range tb.loaded {
		if e.gone {
			continue
		}
		for _, f := range tb.t.PrimaryKey() {
			if f.Holds(e.row, e.snap[f.Info().Pos]) {
				continue
			}
			a, err := f.Bind(u.f, e.row)
			if err != nil {
				return err
			}
			if !equal(own(a), e.snap[f.Info().Pos]) {
				return fmt.Errorf("uow: flush: %s: key column %s of a loaded row changed; delete the row and add a new one instead",
					tb.t.TableName(), f.Name())
			}
		}
	}
	return nil
}

// rebase records the current state of the live rows' followed relations
// as their baseline, after a flush.
func (tb *table[T]) rebase(u *Unit) error {
	if len(tb.edges) == 0 {
		return nil
	}
	for _, e := range tb.loaded {
		e.links = tb.linkState(e.row, nil)
	}
	return nil
}

// forget clears the keys a flush filled in on rows whose insert is
// undone, and puts back the pointers to parents it set.
func (tb *table[T]) forget() { tb.unwrite(0) }

func (tb *table[T]) wrote(fn func()) { tb.written = append(tb.written, undo[T]{fn: fn}) }

// unwrite clears what flushes filled in on inserted rows, since the n-th.
func (tb *table[T]) unwrite(n int) {
	for i := len(tb.written) - 1; i >= n; i-- {
		if w := tb.written[i]; w.fn != nil {
			w.fn()
		} else {
			tb.t.Auto().Clear(w.row)
		}
	}
	tb.written = tb.written[:n]
}

func (tb *table[T]) adopting(u *Unit, row any, col *mapped.ColumnInfo) {
	r, f := row.(*T), tb.t.Fields()[col.Pos]
	cur, err := f.Bind(u.f, r)
	if err != nil {
		return
	}
	zero, err := f.Bind(u.f, new(T))
	if err == nil && equal(own(cur), own(zero)) {
		tb.written = append(tb.written, undo[T]{fn: func() { f.Clear(r) }})
	}
}

// own returns a driver argument that shares no memory with the row it was
// bound from: a []byte is copied and a pointer (which drivers send as its
// target, or NULL) is replaced by a copy of its target. Other arguments
// are values already, or are never equal (see equal), so shared memory
// cannot hide a change.
func own(a any) any {
	switch x := a.(type) {
	case nil, string, int64, bool, float64, time.Time:
		return a
	case []byte:
		return bytes.Clone(x)
	}
	if v := reflect.ValueOf(a); v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		return own(v.Elem().Interface())
	}
	return a
}

// equal reports whether two driver arguments hold the same value: bytes
// compared by content, times as instants, other values with ==, as long as
// their type is comparable (otherwise, a slice for a PostgreSQL array
// say, they count as changed and are written at every flush), except that
// a NaN equals a NaN: an unchanged NaN is no change.
func equal(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case []byte:
		y, ok := b.([]byte)
		return ok && (x == nil) == (y == nil) && bytes.Equal(x, y)
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	case string:
		y, ok := b.(string)
		return ok && x == y
	case int64:
		y, ok := b.(int64)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && (x == y || x != x && y != y)
	}
	if t := reflect.TypeOf(a); t != reflect.TypeOf(b) || !t.Comparable() {
		return false
	}
	return a == b || sameNaNs(reflect.ValueOf(a), reflect.ValueOf(b))
}

// sameNaNs reports whether a and b, of one comparable type that == found
// unequal, differ only by holding NaN in the same floats (a named float
// type, a float32, a sql.Null of one). It runs only for values that
// differ, never for the common equal ones.
func sameNaNs(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.Float32, reflect.Float64:
		x, y := a.Float(), b.Float()
		return x == y || x != x && y != y
	case reflect.Struct:
		for i := range a.NumField() {
			if !sameNaNs(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Array:
		for i := range a.Len() {
			if !sameNaNs(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	}
	return a.Equal(b)
}

func (tb *table[T]) describe(u *Unit, row any) string {
	r := row.(*T)
	if i := slices.Index(tb.added, r); i >= 0 {
		return fmt.Sprintf("%s new#%d", tb.t.TableName(), i+1)
	}
	var key []string
	for _, f := range tb.t.PrimaryKey() {
		a, err := f.Bind(u.f, r)
		if err != nil {
			key = append(key, "?")
			continue
		}
		key = append(key, fmt.Sprint(own(a)))
	}
	return tb.t.TableName() + " " + strings.Join(key, "/")
}

func (tb *table[T]) describeOp(u *Unit, p *plan, kind opKind) []string {
	var out []string
	switch kind {
	case opUpdate:
		for _, e := range tb.changed {
			if e.next == nil {
				out = append(out, tb.describe(u, e.row)+" with"+adoptions(u, p, e.row))
				continue
			}
			names := make([]string, len(e.cols))
			for i, col := range e.cols {
				names[i] = col.Field().Name()
			}
			out = append(out, tb.describe(u, e.row)+" set "+strings.Join(names, ", "))
		}
	case opDelete:
		for _, r := range tb.doomed {
			out = append(out, tb.describe(u, r))
		}
	case opCascade:
		for _, r := range tb.deleted {
			out = append(out, tb.describe(u, r))
		}
	}
	return out
}
