package uow

import (
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
)

// Nested runs fn as a nested unit inside u, in a savepoint of u's
// transaction. It first flushes u's pending work, so that the savepoint
// starts from it. fn works on u itself (the same identity map); while it
// runs, u.Tx() is the savepoint. When fn returns nil, Nested flushes what
// fn did and releases the savepoint: the work becomes part of u, committed
// or rolled back with it.
//
// When fn returns an error or panics, or that last flush fails, Nested
// rolls back to the savepoint, undoing the statements sent since it began
// and nothing before, and puts u's tracking back as it was: rows loaded,
// added or deleted inside are forgotten (keys generated for added rows are
// cleared), and rows loaded before get back the field values and the
// baseline they had when Nested began. That restore copies each row's
// struct, so memory reached through a pointer or slice field and changed
// in place is not restored; such a field is written at the next flush. u
// stays usable: the error is returned (a failed flush's still matches
// ErrFailed) and a panic is raised again.
//
// Nested returns u's own error, without running fn, when u is failed or
// finished. Inside fn, u's Commit and Rollback return ErrNested; Nested
// may be called again, to any depth.
func (u *Unit) Nested(ctx context.Context, fn func(u *Unit) error) (err error) {
	if err := u.begun("nested"); err != nil {
		return err
	}
	if fn == nil {
		return errors.New("uow: nested: nil function")
	}
	if err := u.Flush(ctx); err != nil {
		return err
	}
	sp, err := u.tx.Savepoint(ctx)
	if err != nil {
		return u.fail(errs.Errorf("uow: savepoint: %w", err))
	}
	outer := u.tx
	restore := u.save()
	u.bind(sp)
	u.depth++
	released := false // a RELEASE was sent, and failed
	defer func() {
		u.depth--
		p := recover()
		if (p == nil && err == nil) || released {
			return
		}
		rbErr := sp.Rollback(context.WithoutCancel(ctx))
		u.bind(outer)
		restore()
		if rbErr != nil {
			u.err = nil
			err = u.fail(errors.Join(err, errs.Errorf("uow: rollback to savepoint: %w", rbErr)))
		}
		if p != nil {
			panic(p)
		}
	}()
	if err := fn(u); err != nil {
		return err
	}
	if err := u.Flush(ctx); err != nil {
		return err
	}
	if err := sp.Commit(ctx); err != nil {
		// The savepoint cannot be rolled back to either: what fn did
		// stays in the transaction, which only Rollback can end now.
		u.bind(outer)
		released = true
		return u.fail(errs.Errorf("uow: release savepoint: %w", err))
	}
	u.bind(outer)
	return nil
}

// bind makes tx the unit's transaction, on which its repositories run.
func (u *Unit) bind(tx dialect.Tx) {
	u.tx = tx
	for _, s := range u.order {
		u.tables[s].bind(tx)
	}
}

// save records the unit's tracking state, which must have nothing pending
// (just after a flush), and returns what puts it back: tables met since
// are dropped, with the keys generated for their rows cleared, and each
// table restores its own record. The unit's failure is cleared, since
// rolling back to a savepoint makes the transaction usable again.
func (u *Unit) save() func() {
	order := slices.Clone(u.order)
	restores := make([]func(), len(order))
	for i, s := range order {
		restores[i] = u.tables[s].save()
	}
	return func() {
		for _, s := range u.order[len(order):] {
			u.tables[s].forget()
			delete(u.tables, s)
		}
		u.order = order
		for _, r := range restores {
			r()
		}
		u.err = nil
	}
}

func (tb *table[T]) bind(tx dialect.Tx) { tb.r = tb.r.With(tx) }

// save records the table's loaded rows, their values and baselines, for
// restore by the function it returns; see Unit.save.
func (tb *table[T]) save() func() {
	loaded := slices.Clone(tb.loaded)
	entries := make([]entry[T], len(loaded))
	rows := make([]T, len(loaded))
	for i, e := range loaded {
		entries[i], rows[i] = *e, *e.row
	}
	written := len(tb.written)
	removed := maps.Clone(tb.removed)
	return func() {
		tb.unwrite(written)
		tb.removed = removed
		tb.added, tb.deleted = tb.added[:0], tb.deleted[:0]
		clear(tb.pending)
		clear(tb.byKey)
		clear(tb.byRow)
		tb.loaded = loaded
		for i, e := range loaded {
			*e, *e.row = entries[i], rows[i]
			tb.byKey[e.key] = e
			tb.byRow[e.row] = e
		}
	}
}
