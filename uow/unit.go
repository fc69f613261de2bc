package uow

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/repo"
)

// Errors returned, possibly wrapped, by a Unit.
var (
	// ErrFailed is matched by every error a unit returns once a statement
	// of one of its flushes failed: the failing flush's error and the
	// refusals of Get, Find, Add, Delete, Flush and Commit that follow,
	// until Rollback. The statement's own error (a *dialect.ConstraintError,
	// say) is wrapped too, so errors.Is and errors.As reach it.
	ErrFailed = errors.New("uow: unit failed; roll it back")
	// ErrDone is returned by a unit used after Commit or Rollback.
	ErrDone = errors.New("uow: unit already committed or rolled back")
	// ErrNested is returned by Commit and Rollback called inside Nested's
	// function: the nested unit ends when the function returns.
	ErrNested = errors.New("uow: commit or rollback inside a nested unit")
)

// Options configure a unit. The zero value is a read-write transaction at
// the database's default isolation level, run once.
type Options struct {
	// Isolation is the transaction's isolation level.
	Isolation dialect.Isolation
	// Attempts bounds how many times Run runs its function when the
	// transaction fails with an error Retry names (dialect.ErrRetryable,
	// repo.ErrStale, dialect.ErrConnLost, dialect.ErrCannotConnect); 0 and
	// 1 mean once.
	Attempts int
	// Backoff is the pause before the second attempt; each further
	// attempt waits Backoff longer than the one before.
	Backoff time.Duration
}

// Option sets one of the Options.
type Option func(*Options)

// WithOptions replaces every setting by o.
func WithOptions(o Options) Option { return func(p *Options) { *p = o } }

// Isolation sets the transaction's isolation level.
func Isolation(level dialect.Isolation) Option {
	return func(o *Options) { o.Isolation = level }
}

// Retry makes Run run its function again, with a fresh unit, when the
// transaction fails in a way that committed nothing and may pass:
//
//   - a conflict with another transaction (dialect.ErrRetryable:
//     serialization failure, deadlock, SQLITE_BUSY once the busy timeout
//     ran out);
//   - a connection lost before the COMMIT was sent (dialect.ErrConnLost:
//     the server rolled the transaction back);
//   - no connection to be had (dialect.ErrCannotConnect: the server is
//     down, restarting or full); the backoff is then what gives it time to
//     come back, so attempts × backoff should cover a restart;
//   - a flush that fails with repo.ErrStale (a versioned row changed by
//     another unit since this one read it): the fresh unit reads the row
//     again, so fn must load the rows it changes inside the unit, never
//     reuse rows read before.
//
// It runs fn at most attempts times in all, waiting backoff, then
// 2×backoff, and so on, between attempts. A COMMIT whose outcome is
// unknown (dialect.ErrCommitUnknown: the connection was lost while the
// COMMIT was on its way) is never run again, since it may have been
// committed: Run returns that error, and the caller reconciles (see
// dialect.ErrCommitUnknown). Other errors are returned after one attempt.
func Retry(attempts int, backoff time.Duration) Option {
	return func(o *Options) { o.Attempts, o.Backoff = attempts, backoff }
}

func apply(opts []Option) Options {
	if len(opts) == 0 {
		return Options{} // without the allocation of the Options the options set
	}
	return applyAll(opts)
}

func applyAll(opts []Option) Options {
	var o Options
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// Unit is a unit of work: one transaction, the rows it loaded (one *T per
// primary key, whatever the number of loads), their changes, and the rows
// to insert and delete at the next flush. It is not safe for concurrent
// use. The zero value and a nil *Unit are not usable: Get, Find, Add,
// Delete and the methods return an error naming the call (Tx returns
// nil); begin a unit with Begin or Run.
type Unit struct {
	tx        dialect.Tx
	f         *dialect.Features
	model     *model.Model // the model of the handle the unit began on; nil for a plain one
	tables    map[mapped.Schema]tracker
	order     []mapped.Schema // the tables met, in the order first met
	err       error           // set when a flush failed; matches ErrFailed
	done      bool
	committed bool // done by a COMMIT that succeeded
	depth     int  // how many Nested calls are running
}

// Begin starts a unit of work on db, in a transaction of its own.
func Begin(ctx context.Context, db dialect.DB, opts ...Option) (*Unit, error) {
	if db == nil {
		return nil, errors.New("uow: begin: nil database")
	}
	o := apply(opts)
	tx, err := db.Begin(ctx, dialect.TxOptions{Isolation: o.Isolation})
	if err != nil {
		return nil, errs.Errorf("uow: begin: %w", err)
	}
	return &Unit{tx: tx, f: db.Dialect().Features(), model: model.Of(db), tables: map[mapped.Schema]tracker{}}, nil
}

// Tx returns the unit's transaction (its savepoint inside Nested), for
// repositories (repo.New(u.Tx(), table)), relation loaders and statements
// that should run in it. Rows loaded through it by a repository or a
// relation's Load or Fetch are the unit's, as if Find had loaded them: one
// *T per key, the unit's own row where it holds one (see relation.Identity;
// rows of a table the unit has not met and no followed relation has are
// left untracked). Writes through it are not the unit's: the unit does not
// know of them, so write through Add and Delete, and leave Commit and
// Rollback to the unit. The zero Unit's Tx is nil.
func (u *Unit) Tx() dialect.Tx {
	if u == nil || u.tx == nil {
		return nil
	}
	return unitTx{u}
}

// begun reports, naming the operation op, a unit that was never begun:
// nil, or the zero Unit.
func (u *Unit) begun(op string) error {
	if u == nil || u.tx == nil {
		return fmt.Errorf("uow: %s: the unit was not begun: use uow.Begin or uow.Run", op)
	}
	return nil
}

// usable reports why the unit can do no more work, if it cannot; op names
// the operation for a unit never begun.
func (u *Unit) usable(op string) error {
	switch {
	case u == nil || u.tx == nil:
		return u.begun(op)
	case u.done:
		return ErrDone
	case u.err != nil:
		return u.err
	}
	return nil
}

// fail marks the unit failed by err and returns the error it reports.
func (u *Unit) fail(err error) error {
	u.err = errs.Errorf("%w: %w", ErrFailed, err)
	return u.err
}

// Commit flushes the unit and commits its transaction. A failed flush
// leaves the transaction open for Rollback; a failed COMMIT (one the
// server answered with a rollback, say) is returned as an error and ends
// the unit, with nothing committed, except when the error matches
// dialect.ErrCommitUnknown: the connection was lost while the COMMIT was
// on its way, and the work may have been committed. Inside Nested's function it returns
// ErrNested and does nothing.
func (u *Unit) Commit(ctx context.Context) error {
	if err := u.begun("commit"); err != nil {
		return err
	}
	if u.depth > 0 {
		return ErrNested
	}
	if err := u.Flush(ctx); err != nil {
		return err
	}
	u.done = true
	if err := u.tx.Commit(ctx); err != nil {
		u.forget()
		return errs.Errorf("uow: commit: %w", err)
	}
	u.committed = true
	return nil
}

// Rollback rolls back the unit's transaction and forgets every row: the
// identity map is emptied, added rows are no longer tracked, and what a
// flush filled in on them is cleared again: generated keys, and foreign
// keys set from their parents' keys where the caller had left them unset. Rolling back a unit
// already committed or rolled back returns ErrDone; inside Nested's
// function, Rollback returns ErrNested and does nothing (return an error
// from the function to roll the nested unit back).
func (u *Unit) Rollback(ctx context.Context) error {
	if err := u.begun("rollback"); err != nil {
		return err
	}
	if u.depth > 0 {
		return ErrNested
	}
	if u.done {
		return ErrDone
	}
	u.done = true
	u.forget()
	if err := u.tx.Rollback(ctx); err != nil && !errors.Is(err, dialect.ErrTxDone) {
		return errs.Errorf("uow: rollback: %w", err)
	}
	return nil
}

// forget drops every tracked row, clearing the keys that flushes generated
// for rows that are now not stored.
func (u *Unit) forget() {
	for _, s := range u.order {
		u.tables[s].forget()
	}
	clear(u.tables)
	u.order = nil
}

// Run runs fn in a new unit of work on db and commits it, flushing first,
// when fn returns nil (a unit fn committed itself is left as it is, and
// one it rolled back is reported with ErrDone). When fn returns an error or panics, the unit is
// rolled back and the error returned or the panic raised again. With the
// Retry option, fn is run again with a fresh unit when the transaction
// fails with an error Retry names; fn must then have no effect outside the
// unit that a second run would repeat wrongly.
func Run(ctx context.Context, db dialect.DB, fn func(u *Unit) error, opts ...Option) error {
	if fn == nil {
		return errors.New("uow: run: nil function")
	}
	o := apply(opts)
	for attempt := 1; ; attempt++ {
		err := runOnce(ctx, db, fn, opts)
		if err == nil || attempt >= o.Attempts || !retryable(err) {
			return err
		}
		t := time.NewTimer(time.Duration(attempt) * o.Backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
	}
}

// retryable reports whether Run's Retry option re-runs a unit that failed
// with err: one that committed nothing. A connection lost before the
// COMMIT was sent is retried, since the server rolled the transaction
// back; one lost during the COMMIT is dialect.ErrCommitUnknown, which the
// dialect never reports as ErrConnLost, and is not retried.
func retryable(err error) bool {
	if errors.Is(err, dialect.ErrCommitUnknown) {
		return false
	}
	return errors.Is(err, dialect.ErrRetryable) || errors.Is(err, repo.ErrStale) ||
		errors.Is(err, dialect.ErrConnLost) || errors.Is(err, dialect.ErrCannotConnect)
}

func runOnce(ctx context.Context, db dialect.DB, fn func(u *Unit) error, opts []Option) (err error) {
	u, err := Begin(ctx, db, opts...)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			_ = u.Rollback(context.WithoutCancel(ctx))
			panic(p)
		}
		if err != nil {
			_ = u.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if err := fn(u); err != nil {
		return err
	}
	switch {
	case u.committed:
		return nil // fn committed the unit itself
	case u.done:
		return errs.Errorf("uow: run: the function rolled the unit back and returned nil: %w", ErrDone)
	}
	return u.Commit(ctx)
}
