package uow

import (
	"context"
	"fmt"
	"slices"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/keys"
	"github.com/genrepo/genrepo/internal/rowscan"
	"github.com/genrepo/genrepo/internal/store"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
)

// What a unit's table does with the rows to delete: replacing them by new
// rows with their keys, deleting them in dependency order, and bringing
// the identity map in line with what cascades did.

func (tb *table[T]) hasDeletes() bool { return len(tb.deleted) > 0 }

// replace is tracker.replace; on error, what it returns takes back the
// rows it replaced before the error.
func (tb *table[T]) replace(u *Unit) (undos, error) {
	if len(tb.added) == 0 || len(tb.deleted) == 0 {
		return nil, nil
	}
	auto := tb.t.Auto()
	var undo undos
	for _, r := range slices.Clone(tb.added) {
		if auto != nil && auto.IsZero(r) {
			continue
		}
		key, err := tb.rowKey(u, r)
		if err != nil {
			return undo, err
		}
		e, ok := tb.byKey[key]
		if !ok || !tb.pendingDelete(e.row) {
			continue
		}
		// The stored row stays, with the new row's values: the entry
		// keeps the stored values as its baseline and takes the new row,
		// so the flush updates the columns that differ.
		old := e.row
		tb.deleted = slices.DeleteFunc(tb.deleted, func(x *T) bool { return x == old })
		tb.added = slices.DeleteFunc(tb.added, func(x *T) bool { return x == r })
		delete(tb.pending, old)
		delete(tb.pending, r)
		delete(tb.byRow, old)
		v := tb.t.Version()
		var version int64
		if v != nil {
			version = v.VersionOf(r)
			v.SetVersion(r, v.VersionOf(old))
		}
		e.row = r
		tb.byRow[r] = e
		undo = append(undo, func() {
			if v != nil {
				v.SetVersion(r, version)
			}
			e.row = old
			delete(tb.byRow, r)
			tb.byRow[old] = e
			tb.deleted = append(tb.deleted, old)
			tb.pending[old] = false
			tb.added = append(tb.added, r)
			tb.pending[r] = true
		})
	}
	return undo, nil
}

func (tb *table[T]) planDeletes(u *Unit) (bool, error) {
	tb.doomed = nil
	if model.Cascades(u.tx, tb.t) {
		return false, nil
	}
	round, err := tb.leaves(u)
	if err != nil || len(round) != len(tb.deleted) {
		return false, err
	}
	tb.doomed = round
	return true, nil
}

func (tb *table[T]) addDeletes(u *Unit, b *batch) error {
	round := tb.doomed
	b.stmts = slices.Grow(b.stmts, len(round))
	for _, row := range round {
		s, err := tb.st.PrepareDelete(u.tx.Dialect(), row)
		if err != nil {
			return err
		}
		b.stmts = append(b.stmts, s)
	}
	b.after = append(b.after, func() { tb.forgetDeleted(round) })
	return nil
}

// deleteAll deletes the rows scheduled for deletion: the cascades of them
// all first, then rows that other rows to delete reference (a
// self-referential table) after them, each round's DELETEs in one batch.
// The cascades run for every row at once, so that a row one of them
// reaches that the unit deletes in a later round (rows in a cycle) is
// known to be deleted: pointed away from the rows before it, not deleted
// by the cascade under the unit's DELETE.
func (tb *table[T]) deleteAll(ctx context.Context, u *Unit) error {
	if err := model.Cascade(ctx, u.tx, tb.t, tb.deleted); err != nil {
		return err
	}
	for len(tb.deleted) > 0 {
		round, err := tb.leaves(u)
		if err != nil {
			return err
		}
		stmts := make([]dialect.Statement, len(round))
		for i, row := range round {
			s, err := tb.st.PrepareDelete(u.tx.Dialect(), row)
			if err != nil {
				return err
			}
			stmts[i] = s
		}
		if err := dialect.SendBatch(ctx, u.tx, stmts); err != nil {
			return store.Explain(ctx, u.tx, err)
		}
		tb.forgetDeleted(round)
	}
	return nil
}

// forgetDeleted forgets rows, whose DELETE succeeded.
func (tb *table[T]) forgetDeleted(rows []*T) {
	for _, row := range rows {
		delete(tb.pending, row)
		if e, ok := tb.byRow[row]; ok {
			tb.drop(e)
		}
	}
	// A row of deleted stays in pending (as false) until it leaves it:
	// the rows just deleted are those no longer there.
	tb.deleted = slices.DeleteFunc(tb.deleted, func(r *T) bool {
		_, waiting := tb.pending[r]
		return !waiting
	})
	tb.sweep()
}

// leaves returns the rows to delete that no other row to delete
// references through a foreign key to this same table.
func (tb *table[T]) leaves(u *Unit) ([]*T, error) {
	var self []*mapped.Field[T]
	for _, f := range tb.t.Fields() {
		if ref := f.Info().References; ref != nil && ref.Table.Info() == tb.t.Info() {
			self = append(self, f)
		}
	}
	if len(self) == 0 || len(tb.deleted) == 1 {
		return slices.Clone(tb.deleted), nil
	}
	deleting := make(map[any]bool, len(tb.deleted))
	for _, row := range tb.deleted {
		k, err := tb.rowKey(u, row)
		if err != nil {
			return nil, err
		}
		deleting[k] = true
	}
	referenced := map[any]bool{}
	for _, row := range tb.deleted {
		for _, f := range self {
			a, err := f.Bind(u.f, row)
			if err != nil {
				return nil, err
			}
			// A nullable key binds as a pointer: its target is the key.
			if k := keys.Of(own(a)); k != nil && deleting[k] {
				referenced[k] = true
			}
		}
	}
	var out []*T
	for _, row := range tb.deleted {
		k, _ := tb.rowKey(u, row)
		if !referenced[k] {
			out = append(out, row)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("uow: flush: rows of %s to delete reference each other in a cycle", tb.t.TableName())
	}
	return out, nil
}

// drop removes e from the identity map: its row was deleted.
func (tb *table[T]) drop(e *entry[T]) {
	e.gone = true
	delete(tb.byRow, e.row)
	delete(tb.byKey, e.key)
	tb.remove(e.row)
}

// remove records that row was deleted, by a flush or before its insert,
// so that following relations never adds it again.
func (tb *table[T]) remove(row *T) {
	if tb.removed == nil {
		tb.removed = map[*T]bool{}
	}
	tb.removed[row] = true
}

// sweep forgets the entries of deleted rows.
func (tb *table[T]) sweep() {
	live := tb.loaded[:0]
	for _, e := range tb.loaded {
		if !e.gone {
			live = append(live, e)
		}
	}
	clear(tb.loaded[len(live):])
	tb.loaded = live
}

// reached returns whether the model's cascades may delete the table's
// rows (its foreign keys' ON DELETE CASCADE as the model makes it, or
// association rows that the model's Links deletes), and the foreign keys
// they may set to NULL.
func (tb *table[T]) reached(u *Unit) (cascaded bool, nulled []*mapped.Field[T]) {
	cascaded = u.model.DeletesLinks(tb.t)
	for _, f := range tb.t.Fields() {
		if ref := f.Info().References; ref != nil {
			switch u.model.OnDelete(f.Info()) {
			case mapped.Cascade:
				cascaded = true
			case mapped.SetNull:
				nulled = append(nulled, f)
			}
		}
	}
	return cascaded, nulled
}

func (tb *table[T]) rereads(u *Unit) bool {
	if cascaded, nulled := tb.reached(u); !cascaded && len(nulled) == 0 {
		return false
	}
	for _, e := range tb.loaded {
		if !e.gone && !tb.pendingDelete(e.row) {
			return true
		}
	}
	return len(tb.added) > 0
}

// recheck brings the live rows in line with the database after a flush
// deleted rows that the table's foreign keys reference with ON DELETE
// CASCADE or SET NULL (the cascades of relations, declared Delete or
// Nullify), and, in an association table, after it deleted rows whose
// association rows the model's Links deletes with them: rows the cascades
// deleted leave the unit, keys they set to NULL are cleared. The cascades may have reached the table through rows the unit
// never loaded, so it asks the database, with one SELECT of the live
// rows' keys.
func (tb *table[T]) recheck(ctx context.Context, u *Unit) error {
	cascaded, nulled := tb.reached(u)
	if (!cascaded && len(nulled) == 0) || len(tb.loaded) == 0 {
		return nil
	}
	live := make([]*T, 0, len(tb.loaded))
	for _, e := range tb.loaded {
		if !e.gone {
			live = append(live, e.row)
		}
	}
	conds, err := rowscan.KeyConds(u.f, tb.t, live)
	if err != nil {
		return err
	}
	var stored []*T
	for _, c := range conds {
		rows, err := tb.r.Where(c).All(ctx)
		if err != nil {
			return err
		}
		stored = append(stored, rows...)
	}
	if err != nil {
		return err
	}
	byKey := make(map[any]*T, len(stored))
	for _, row := range stored {
		k, err := tb.rowKey(u, row)
		if err != nil {
			return err
		}
		byKey[k] = row
	}
	for _, e := range tb.loaded {
		now, ok := byKey[e.key]
		if !ok {
			delete(tb.pending, e.row)
			tb.deleted = slices.DeleteFunc(tb.deleted, func(r *T) bool { return r == e.row })
			tb.drop(e)
			continue
		}
		for _, f := range nulled {
			if a, err := f.Bind(u.f, now); err == nil && own(a) == nil && e.snap[f.Info().Pos] != nil {
				f.Clear(e.row)
				// A copy: a nested unit's saved state shares the old one.
				e.snap = slices.Clone(e.snap)
				e.snap[f.Info().Pos] = nil
			}
		}
	}
	tb.sweep()
	return nil
}
