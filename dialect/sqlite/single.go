package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"sync/atomic"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
)

// A DB opened with Config.OneConnection has a pool of one connection. On
// its own, database/sql would make a statement wait for that connection
// for as long as its context lasts, and a statement run on the DB inside a
// transaction of the same goroutine, or inside a loop over rows, would
// wait for itself forever. So the DB hands its one connection out through
// a gate: a statement on the DB, a Begin and a Conn each pass it, and hold
// it until the statement is done, the transaction ends, the Conn is
// released or the rows are closed; one that finds it held waits up to the
// busy timeout, as a writer waits for SQLite's lock, and then fails with
// dialect.ErrRetryable and a message saying what holds the connection.

// errOneConnBusy is the error a statement gets when the DB's one
// connection stayed in use for the busy timeout.
var errOneConnBusy = errors.New("the database's one connection (sqlite.Config.OneConnection) stayed in use, by a transaction, a pinned Conn or rows not yet closed, for the busy timeout: a statement on the DB waits for them to end")

// gate is the one connection of a DB opened with Config.OneConnection, as
// a token: whoever holds it may use the connection. A nil *gate lets
// everyone through.
type gate struct {
	token chan struct{}
	wait  time.Duration // how long enter waits; zero or less: not at all
}

func newGate(wait time.Duration) *gate {
	return &gate{token: make(chan struct{}, 1), wait: wait}
}

// enter takes the token, waiting for it up to g.wait, or until ctx ends.
func (g *gate) enter(ctx context.Context) error {
	if g == nil {
		return nil
	}
	select {
	case g.token <- struct{}{}:
		return nil
	default:
	}
	if g.wait <= 0 {
		return &dialect.RetryableError{Err: errOneConnBusy}
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.token <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return &dialect.RetryableError{Err: errOneConnBusy}
	}
}

// leave gives the token back. Each successful enter is followed by
// exactly one leave.
func (g *gate) leave() {
	if g != nil {
		<-g.token
	}
}

// hold is a gate's token held by a transaction, a Conn or rows, given
// back once however often release is called.
type hold struct {
	g    *gate
	done atomic.Bool
}

// release gives the token back, the first time it is called.
func (h *hold) release() {
	if h != nil && !h.done.Swap(true) {
		h.g.leave()
	}
}

// holdGate takes g's token for something that keeps the connection past
// the call, and returns what gives it back; with no gate it returns nil,
// whose release does nothing.
func holdGate(ctx context.Context, g *gate, op string) (*hold, error) {
	if g == nil {
		return nil, nil
	}
	if err := g.enter(ctx); err != nil {
		return nil, errs.Errorf("sqlite: %s: %w", op, err)
	}
	return &hold{g: g}, nil
}

// oneMemory is the connector of a private in-memory database on one
// connection: that connection is the database, so a second one would be
// another, empty database. Connect refuses to open one, loudly, rather
// than let statements run on it as if nothing were lost.
type oneMemory struct {
	connector
	opened *atomic.Bool
}

// Connect opens the one connection, or refuses once it has been opened.
func (c oneMemory) Connect(ctx context.Context) (driver.Conn, error) {
	if c.opened.Load() {
		return nil, errors.New("sqlite: the in-memory database's one connection (sqlite.Config.OneConnection) was closed, and the database with it: its contents are gone")
	}
	dc, err := c.connector.Connect(ctx)
	if err == nil {
		c.opened.Store(true)
	}
	return dc, err
}
