package uow

import (
	"context"
	"errors"
	"slices"

	"github.com/genrepo/genrepo/internal/errs"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

// Get returns the row of t whose primary key is key, as repo.Repo.Get does,
// read in the unit's transaction. Within a unit the same key always yields
// the same *T: a row already loaded is returned without a statement, with
// the changes made to it since. A row deleted in the unit, flushed or not,
// is repo.ErrNotFound.
func Get[T any](ctx context.Context, u *Unit, t *mapped.Table[T], key ...any) (*T, error) {
	if err := u.usable("get"); err != nil {
		return nil, err
	}
	if t == nil {
		return nil, errors.New("uow: get: nil table")
	}
	tb := tableOf(u, t)
	if e := tb.lookup(u, key); e != nil {
		if tb.pendingDelete(e.row) {
			return nil, errs.Errorf("uow: get %s: %w: deleted in this unit", t.TableName(), repo.ErrNotFound)
		}
		return e.row, nil
	}
	row, err := tb.r.Get(ctx, key...)
	if err != nil {
		return nil, err
	}
	return tb.track(u, row)
}

// Find runs q in the unit's transaction and returns its rows, each the
// unit's own *T for its key: a row already loaded is returned as it is in
// the unit, changes included, rather than as read. Rows deleted in the unit
// but not yet flushed are left out. Rows that q loads through a relation
// declared with Follow, FollowOne, FollowParent or FollowManyToMany become
// the unit's too, one *T per key, the unit's own rows replacing the loaded
// copies in the collections and pointers (a row the unit already holds
// keeps its own relations where they were loaded, and receives the loaded
// ones where they were not). Rows loaded through other relations are filled
// in but not tracked.
func Find[T any](ctx context.Context, u *Unit, q *repo.Query[T]) ([]*T, error) {
	if err := u.usable("find"); err != nil {
		return nil, err
	}
	if q == nil || q.Table() == nil {
		return nil, errors.New("uow: find: nil query, or one of no table")
	}
	tb := tableOf(u, q.Table())
	rows, err := q.With(u.tx).All(ctx)
	if err != nil {
		return nil, err
	}
	out := rows[:0]
	tb.reserve(len(rows))
	var seen map[any]any
	if len(tb.edges) > 0 {
		seen = map[any]any{}
	}
	for _, row := range rows {
		var got *T
		if len(tb.edges) == 0 {
			got, err = tb.track(u, row)
		} else {
			var a any
			a, err = u.absorb(tb, row, seen)
			got, _ = a.(*T)
		}
		if err != nil {
			return nil, err
		}
		if !tb.pendingDelete(got) {
			out = append(out, got)
		}
	}
	return out, nil
}

// Add schedules row for insertion into t at the next flush, where the new
// rows of each table go in as few multi-row INSERTs as possible, parents'
// tables before their children's. Keys the database generates are filled in
// then; afterwards the row is tracked like a loaded one. Rows related to
// row through followed relations (Follow, FollowOne, FollowParent,
// FollowManyToMany) are added with it at the flush, their foreign keys set
// from the keys their parents get. Adding a row deleted earlier in the
// unit, before a flush, cancels the deletion; adding a row twice, or one
// already loaded, does nothing more.
func Add[T any](u *Unit, t *mapped.Table[T], row *T) error {
	if err := u.usable("add"); err != nil {
		return err
	}
	if t == nil {
		return errors.New("uow: add: nil table")
	}
	if row == nil {
		return errs.Errorf("uow: add %s: %w", t.TableName(), repo.ErrNilRow)
	}
	tb := tableOf(u, t)
	added, pending := tb.pending[row]
	switch {
	case pending && !added:
		tb.deleted = slices.DeleteFunc(tb.deleted, func(r *T) bool { return r == row })
		delete(tb.pending, row)
	case pending:
	default:
		if _, loaded := tb.byRow[row]; !loaded {
			delete(tb.removed, row)
			tb.add(row)
			tb.pending[row] = true
		}
	}
	return nil
}

// Delete schedules row for deletion from t at the next flush, with the
// cascades of t's relations (repo.Repo.Cascade); children's tables are
// deleted from before their parents'. A row added in the unit and not yet
// flushed is simply dropped: it is never written, not even when a followed
// relation still holds it. Deleting a row and adding another with the same
// key before a flush (or putting one in a followed relation) replaces the
// row: the flush updates the stored row to the new one's values.
//
// row need not be one the unit loaded: a row with the key of one it holds
// deletes that one (Get of the key then returns repo.ErrNotFound), and a
// row with a key the unit does not hold is deleted by that key, its
// version checked if the table has one. A row with a zero key, which
// names no stored row, is refused at once with repo.ErrNoKey, leaving the
// unit as it was. Deleting a row that a flush of the unit already deleted
// does nothing.
func Delete[T any](u *Unit, t *mapped.Table[T], row *T) error {
	if err := u.usable("delete"); err != nil {
		return err
	}
	if t == nil {
		return errors.New("uow: delete: nil table")
	}
	if row == nil {
		return errs.Errorf("uow: delete %s: %w", t.TableName(), repo.ErrNilRow)
	}
	tb := tableOf(u, t)
	if tb.status(row) == untracked {
		held, err := tb.holder(u, row)
		if err != nil {
			return errs.Errorf("uow: delete %s: %w", t.TableName(), err)
		}
		row = held
	}
	switch tb.status(row) {
	case adding:
		tb.added = slices.DeleteFunc(tb.added, func(r *T) bool { return r == row })
		delete(tb.pending, row)
		tb.remove(row)
	case loaded:
		tb.deleted = append(tb.deleted, row)
		tb.pending[row] = false
	}
	return nil
}
