package uow_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// A SQLite writer that waits longer than the busy timeout for another
// connection's lock fails with ErrRetryable and writes nothing, whether it
// is a plain repo.Insert or a unit's BEGIN; Retry carries the unit through
// once the lock is released. SQLite's alone: its single write lock is what
// is measured here, where PostgreSQL locks rows.
func TestSQLiteBusy(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a guard, not an assertion
	defer cancel()
	path := filepath.Join(t.TempDir(), "busy.db")
	holder, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	if err := mapped.CreateAll(ctx, holder, labels.Table); err != nil {
		t.Fatal(err)
	}
	busy := make(chan struct{})
	var once sync.Once
	hook := func(_ context.Context, e dialect.Event) {
		if e.Op == dialect.OpBegin && e.Err != nil {
			once.Do(func() { close(busy) })
		}
	}
	contender, err := sqlite.OpenConfig(ctx, sqlite.Config{Path: path, BusyTimeout: 20 * time.Millisecond},
		dialect.WithHook(hook))
	if err != nil {
		t.Fatal(err)
	}
	defer contender.Close()

	lock, err := holder.Begin(ctx, dialect.TxOptions{}) // BEGIN IMMEDIATE: the write lock
	if err != nil {
		t.Fatal(err)
	}
	err = repo.New(contender, labels.Table).Insert(ctx, &label{Name: "plain"})
	if !errors.Is(err, dialect.ErrRetryable) {
		t.Errorf("Insert while another connection holds the write lock = %v, want ErrRetryable", err)
	}

	released := make(chan error, 1)
	go func() {
		select {
		case <-busy: // the unit's first BEGIN gave up
		case <-ctx.Done():
		}
		released <- lock.Rollback(ctx)
	}()
	runs := 0
	err = uow.Run(ctx, contender, func(u *uow.Unit) error {
		runs++
		return uow.Add(u, labels.Table, &label{Name: "retried"})
	}, uow.Retry(50, 5*time.Millisecond))
	if rerr := <-released; rerr != nil {
		t.Fatal(rerr)
	}
	if err != nil || runs != 1 {
		t.Errorf("Run with Retry past a held lock = %v after %d runs of fn, want nil after 1", err, runs)
	}
	for name, want := range map[string]int64{"plain": 0, "retried": 1} {
		n, err := repo.New(holder, labels.Table).Where(labels.Name.Eq(name)).Count(ctx)
		if err != nil || n != want {
			t.Errorf("labels %q stored = %d (%v), want %d", name, n, err, want)
		}
	}
}
