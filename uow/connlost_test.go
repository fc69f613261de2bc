package uow_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// These tests are PostgreSQL's alone: they cut the network between the
// pool and the server (testdb.Proxy); SQLite runs in the process and
// has no connection to lose.

// proxied returns a database reached through a proxy, with the label
// table, and a context that guards against a hang (not an assertion).
func proxied(t *testing.T, configure func(*pgxpool.Config), opts ...dialect.Option) (context.Context, dialect.DB, *testdb.Proxy) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	db, p := testdb.PostgresProxy(t, configure, opts...)
	if err := mapped.CreateAll(ctx, db, labels.Table); err != nil {
		t.Fatal(err)
	}
	return ctx, db, p
}

// named counts the labels called name.
func named(t *testing.T, db dialect.DB, name string) int64 {
	t.Helper()
	n, err := repo.New(db, labels.Table).Where(labels.Name.Eq(name)).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A network cut in the middle of a unit fails it with ErrConnLost and
// commits nothing; Retry runs it again, and its rows are stored once.
func TestCutMidUnit(t *testing.T) {
	t.Parallel()
	ctx, db, p := proxied(t, nil)
	unit := func(name string, runs *int) func(u *uow.Unit) error {
		return func(u *uow.Unit) error {
			*runs++
			if err := uow.Add(u, labels.Table, &label{Name: name + " first"}); err != nil {
				return err
			}
			if err := u.Flush(ctx); err != nil {
				return err
			}
			if *runs == 1 {
				p.Cut()
			}
			return uow.Add(u, labels.Table, &label{Name: name + " second"}) // flushed by the commit
		}
	}

	runs := 0
	err := uow.Run(ctx, db, unit("once", &runs))
	if !errors.Is(err, dialect.ErrConnLost) || errors.Is(err, dialect.ErrCommitUnknown) || !errors.Is(err, uow.ErrFailed) {
		t.Errorf("Run cut mid-unit = %v, want ErrFailed and ErrConnLost, not ErrCommitUnknown", err)
	}
	if n := named(t, db, "once first") + named(t, db, "once second"); n != 0 {
		t.Errorf("%d labels of the cut unit stored, want 0", n)
	}

	runs = 0
	if err := uow.Run(ctx, db, unit("retried", &runs), uow.Retry(3, time.Millisecond)); err != nil || runs != 2 {
		t.Errorf("Run with Retry cut mid-unit = %v after %d runs, want nil after 2", err, runs)
	}
	for _, name := range []string{"retried first", "retried second"} {
		if n := named(t, db, name); n != 1 {
			t.Errorf("%d labels %q stored, want 1", n, name)
		}
	}
}

// A unit that cannot begin because the server refuses connections fails
// with ErrCannotConnect; Retry carries it through once the server accepts
// them again.
func TestRetryCannotConnect(t *testing.T) {
	t.Parallel()
	refused := make(chan struct{})
	var once sync.Once
	hook := func(_ context.Context, e dialect.Event) {
		var ce *pgconn.ConnectError
		if e.Op == dialect.OpBegin && errors.As(e.Err, &ce) {
			once.Do(func() { close(refused) })
		}
	}
	ctx, db, p := proxied(t, func(c *pgxpool.Config) { c.MaxConns = 1 }, dialect.WithHook(hook))
	p.Restart()
	for i := 0; i < 4 && !errors.Is(db.Ping(ctx), dialect.ErrCannotConnect); i++ {
		// the pool drops the connection it had, found dead
	}
	if _, err := uow.Begin(ctx, db); !errors.Is(err, dialect.ErrCannotConnect) || errors.Is(err, dialect.ErrConnLost) {
		t.Errorf("Begin while the server refuses connections = %v, want ErrCannotConnect, not ErrConnLost", err)
	}
	if err := uow.Run(ctx, db, func(u *uow.Unit) error { return nil }); !errors.Is(err, dialect.ErrCannotConnect) {
		t.Errorf("Run without Retry while the server refuses connections = %v, want ErrCannotConnect", err)
	}

	accepted := make(chan error, 1)
	go func() {
		select {
		case <-refused:
		case <-ctx.Done():
		}
		accepted <- p.Accept()
	}()
	runs := 0
	err := uow.Run(ctx, db, func(u *uow.Unit) error {
		runs++
		return uow.Add(u, labels.Table, &label{Name: "after the restart"})
	}, uow.Retry(30, 5*time.Millisecond))
	if aerr := <-accepted; aerr != nil {
		t.Fatal(aerr)
	}
	if err != nil || runs != 1 {
		t.Errorf("Run with Retry across refused connections = %v after %d runs of fn, want nil after 1", err, runs)
	}
	if n := named(t, db, "after the restart"); n != 1 {
		t.Errorf("%d labels stored, want 1", n)
	}
}

// A connection cut after the server committed the unit's COMMIT, and
// before the client heard so: the row is stored, the error matches
// ErrCommitUnknown and not ErrConnLost, and Retry does not run the unit
// again.
func TestRetryCommitUnknown(t *testing.T) {
	t.Parallel()
	ctx, db, p := proxied(t, nil)
	p.CutAfter(false, testdb.IsCommit)
	runs := 0
	err := uow.Run(ctx, db, func(u *uow.Unit) error {
		runs++
		return uow.Add(u, labels.Table, &label{Name: "maybe"})
	}, uow.Retry(5, time.Millisecond))
	if !errors.Is(err, dialect.ErrCommitUnknown) || errors.Is(err, dialect.ErrConnLost) || runs != 1 {
		t.Errorf("Run cut after its COMMIT = %v after %d runs, want ErrCommitUnknown (not ErrConnLost) after 1", err, runs)
	}
	if p.Cuts() != 1 {
		t.Errorf("the proxy cut %d connections at COMMIT, want 1", p.Cuts())
	}
	if n := named(t, db, "maybe"); n != 1 {
		t.Errorf("%d labels stored, want 1: the server committed", n)
	}
}

// A server restart while many units run: each ends committed exactly once
// (nil), or with ErrCommitUnknown (committed once or not at all); Retry
// carries every other one through, and none is committed twice.
func TestRestartUnderLoad(t *testing.T) {
	t.Parallel()
	refused := make(chan struct{})
	var once sync.Once
	hook := func(_ context.Context, e dialect.Event) {
		var ce *pgconn.ConnectError
		if e.Op == dialect.OpBegin && errors.As(e.Err, &ce) {
			once.Do(func() { close(refused) })
		}
	}
	ctx, db, p := proxied(t, nil, dialect.WithHook(hook))
	const workers, each, restartAt = 16, 4, 20

	var started atomic.Int64
	accepted := make(chan error, 1)
	var mu sync.Mutex
	runs := map[string]int{}
	results := map[string]error{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				name := fmt.Sprintf("w%d-%d", w, i)
				err := uow.Run(ctx, db, func(u *uow.Unit) error {
					mu.Lock()
					runs[name]++
					mu.Unlock()
					if err := uow.Add(u, labels.Table, &label{Name: name}); err != nil {
						return err
					}
					if err := u.Flush(ctx); err != nil {
						return err
					}
					switch started.Add(1) {
					case restartAt - 5:
						p.CutAfter(false, testdb.IsCommit) // one COMMIT's answer is lost
					case restartAt:
						p.Restart() // this unit's connection goes too
						go func() {
							select {
							case <-refused: // a unit found the server down
							case <-ctx.Done():
							}
							accepted <- p.Accept()
						}()
					}
					// Flushed by the commit: a unit cut before it fails
					// with ErrConnLost, and is run again.
					return uow.Add(u, labels.Table, &label{Name: name + "/2"})
				}, uow.Retry(30, 5*time.Millisecond))
				mu.Lock()
				results[name] = err
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if err := <-accepted; err != nil {
		t.Fatal(err)
	}

	var ok, unknown, retried int
	for name, err := range results {
		n := named(t, db, name)
		if n2 := named(t, db, name+"/2"); n2 != n {
			t.Errorf("unit %s has %d of its first rows stored and %d of its second: half a unit committed", name, n, n2)
		}
		switch {
		case err == nil:
			ok++
			if n != 1 {
				t.Errorf("unit %s returned nil but %d of its rows are stored, want 1", name, n)
			}
		case errors.Is(err, dialect.ErrCommitUnknown):
			unknown++
			if n > 1 {
				t.Errorf("unit %s (outcome unknown) has %d rows stored, want 0 or 1", name, n)
			}
		default:
			t.Errorf("unit %s = %v (%d rows stored): Retry did not carry it through", name, err, n)
		}
		if runs[name] > 1 {
			retried++
		}
	}
	t.Logf("%d units committed, %d with an unknown outcome, %d run more than once", ok, unknown, retried)
	if unknown == 0 || retried == 0 {
		t.Errorf("%d units with an unknown outcome and %d run again, want some of each: the restart was not felt", unknown, retried)
	}
	if total := count(t, db, labels.Table); total > 2*int64(ok+unknown) {
		t.Errorf("%d labels stored, more than the two each of the %d units that may have committed", total, ok+unknown)
	}
}
