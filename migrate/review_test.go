package migrate_test

// Tests from an adversarial review of the runner: each one failed before
// the fix it names.

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/migrate"
)

// A file that ends the runner's transaction itself never leaves its
// migration recorded but not applied. A ROLLBACK in it undid the
// migration's first statement, and the row recording it went in
// afterwards, outside any transaction: PostgreSQL then reported the
// migration applied, and SQLite returned an error with the row written
// all the same. A COMMIT before a failing statement left the row out, as
// it should. A file that wraps itself in BEGIN and COMMIT still applies
// on PostgreSQL, recorded.
func TestReviewFileEndsTransaction(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, open func(...dialect.Option) dialect.DB) {
		ctx := context.Background()
		db := open()
		base := dir("0001_base.up.sql", "CREATE TABLE base (n INTEGER);", "0001_base.down.sql", "DROP TABLE base;")
		if _, err := newRunner(t, db, base).Up(ctx, 0); err != nil {
			t.Fatal(err)
		}

		rolledBack := with(base, "0002_undone.up.sql", "CREATE TABLE undone (n INTEGER);\nROLLBACK;")
		r := newRunner(t, db, rolledBack)
		done, err := r.Up(ctx, 0)
		wantErr(t, err, nil, "migrate: up: 0002_undone.up.sql: ")
		wantVersions(t, "Up with a ROLLBACK in the file", done)
		wantStates(t, r, "1 applied, 2 pending")
		if tableExists(t, db, "undone") {
			t.Errorf("the rolled back statement was kept")
		}

		committed := with(base, "0002_half.up.sql", "CREATE TABLE half (n INTEGER);\nCOMMIT;\nINSERT INTO no_such_table VALUES (1);")
		r = newRunner(t, db, committed)
		done, err = r.Up(ctx, 0)
		wantErr(t, err, nil, "migrate: up: 0002_half.up.sql: ")
		if !strings.Contains(err.Error(), "no_such_table") || !strings.Contains(err.Error(), "committed part of itself") {
			t.Errorf("error %q does not say the file committed part of itself before failing", err)
		}
		wantVersions(t, "Up with a COMMIT then a failure in the file", done)
		wantStates(t, r, "1 applied, 2 pending")

		// Down: a down file that rolls back leaves its migration applied.
		if _, err := db.Exec(ctx, "DROP TABLE half"); err != nil {
			t.Fatal(err)
		}
		downRolledBack := with(base, "0001_base.down.sql", "DROP TABLE base;\nROLLBACK;")
		r = newRunner(t, db, downRolledBack)
		done, err = r.Down(ctx, 1)
		wantErr(t, err, nil, "migrate: down: 0001_base.down.sql: ")
		wantVersions(t, "Down with a ROLLBACK in the file", done)
		wantStates(t, r, "1 applied")
		if !tableExists(t, db, "base") {
			t.Errorf("the down file's rolled back DROP was kept")
		}

		if db.Dialect().Name() == "postgres" {
			// PostgreSQL only warns of a BEGIN inside a transaction; SQLite
			// refuses it, before anything runs.
			wrapped := with(base, "0002_wrapped.up.sql", "BEGIN;\nCREATE TABLE wrapped (n INTEGER);\nCOMMIT;")
			r = newRunner(t, db, wrapped)
			done, err = r.Up(ctx, 0)
			if err != nil {
				t.Fatalf("Up of a file in BEGIN and COMMIT: %v", err)
			}
			wantVersions(t, "Up of a file in BEGIN and COMMIT", done, 2)
			wantStates(t, r, "1 applied, 2 applied")
		}
	})
}

// pause returns a hook that blocks the first read of the version table
// until release is called, and a channel closed when that read begins.
func pause(t *testing.T) (dialect.Option, <-chan struct{}, func()) {
	read, release := make(chan struct{}), make(chan struct{})
	var once, releaseOnce sync.Once
	free := func() { releaseOnce.Do(func() { close(release) }) }
	t.Cleanup(free)
	hook := dialect.WithHook(func(_ context.Context, e dialect.Event) {
		if e.Op == dialect.OpQuery && strings.HasPrefix(e.SQL, "SELECT version, name") {
			once.Do(func() {
				close(read)
				<-release
			})
		}
	})
	return hook, read, free
}

type result struct {
	done []migrate.Migration
	err  error
}

// race runs first until it has read the version table, then second, and
// lets first go on once second has finished (SQLite) or is seen waiting
// for first's lock (PostgreSQL). It returns both results.
func race(t *testing.T, db dialect.DB, free func(), read <-chan struct{}, first, second func() ([]migrate.Migration, error)) (result, result) {
	t.Helper()
	firstDone, secondDone := make(chan result, 1), make(chan result, 1)
	go func() {
		done, err := first()
		firstDone <- result{done, err}
	}()
	<-read
	go func() {
		done, err := second()
		secondDone <- result{done, err}
	}()
	var got2 result
	if db.Dialect().Name() == "postgres" {
		select {
		case got2 = <-secondDone:
			t.Fatalf("the second runner ran while the first held the lock: %v, %v", versions(got2.done), got2.err)
		case <-time.After(300 * time.Millisecond):
		}
		free()
		got1 := <-firstDone
		return got1, <-secondDone
	}
	got2 = <-secondDone
	free()
	return <-firstDone, got2
}

// A runner that planned to revert the latest migration never reverts it
// once another runner has applied a later one on top of it. On SQLite,
// which locks each migration rather than the whole run, the stale runner
// reverted 0002 (dropping the table 0003 had written into) while 0003
// stayed recorded as applied.
func TestReviewStaleDown(t *testing.T) {
	t.Parallel()
	older := dir(
		"0001_base.up.sql", "CREATE TABLE base (n INTEGER);",
		"0002_three.up.sql", "CREATE TABLE three (n INTEGER);",
		"0002_three.down.sql", "DROP TABLE three;",
	)
	newer := with(older, "0003_fill.up.sql", "INSERT INTO three (n) VALUES (3);")
	each(t, func(t *testing.T, open func(...dialect.Option) dialect.DB) {
		ctx := context.Background()
		db := open()
		if _, err := newRunner(t, db, older).Up(ctx, 0); err != nil {
			t.Fatal(err)
		}
		hook, read, free := pause(t)
		stale := newRunner(t, open(hook), older)
		other := newRunner(t, open(), newer)
		got1, got2 := race(t, db, free, read,
			func() ([]migrate.Migration, error) { return stale.Down(ctx, 1) },
			func() ([]migrate.Migration, error) { return other.Up(ctx, 0) })
		t.Logf("down: %v, %v; up: %v, %v", versions(got1.done), got1.err, versions(got2.done), got2.err)
		if got2.err != nil {
			t.Errorf("the other runner's Up: %v", got2.err)
		}
		// Whatever the order, the database is what its version table says.
		st := states(t, newRunner(t, db, newer))
		if st != "1 applied, 2 applied, 3 applied" {
			t.Errorf("status %q, want every migration applied", st)
		}
		if !tableExists(t, db, "three") || scalar[int64](t, db, "SELECT count(*) FROM three") != 1 {
			t.Errorf("0003 is recorded, but its row is gone")
		}
		if db.Dialect().Name() == "sqlite" && (got1.err == nil || len(got1.done) != 0) {
			t.Errorf("the stale Down reverted %v (err %v) under a later migration", versions(got1.done), got1.err)
		}
	})
}

// Two runners of different files never leave migrations applied out of
// order. On SQLite the stale runner, which had planned 0002 before the
// other applied 0003, applied 0002 after it.
func TestReviewStaleOutOfOrder(t *testing.T) {
	t.Parallel()
	base := dir("0001_base.up.sql", "CREATE TABLE base (n INTEGER);")
	a := with(base, "0002_a.up.sql", "INSERT INTO base (n) VALUES (2);")
	b := with(base, "0003_b.up.sql", "INSERT INTO base (n) VALUES (3);")
	each(t, func(t *testing.T, open func(...dialect.Option) dialect.DB) {
		ctx := context.Background()
		db := open()
		if _, err := newRunner(t, db, base).Up(ctx, 0); err != nil {
			t.Fatal(err)
		}
		hook, read, free := pause(t)
		stale := newRunner(t, open(hook), a)
		other := newRunner(t, open(), b)
		got1, got2 := race(t, db, free, read,
			func() ([]migrate.Migration, error) { return stale.Up(ctx, 0) },
			func() ([]migrate.Migration, error) { return other.Up(ctx, 0) })
		t.Logf("a: %v, %v; b: %v, %v", versions(got1.done), got1.err, versions(got2.done), got2.err)
		if (got1.err == nil) == (got2.err == nil) {
			t.Errorf("errors: a %v, b %v; want exactly one refused", got1.err, got2.err)
		}
		if got := scalar[int64](t, db, "SELECT count(*) FROM base"); got != 1 {
			t.Errorf("base holds %d rows; want 1: only one of 0002 and 0003 applied", got)
		}
	})
}

// A file whose name ends in .SQL, or .Up.sql, is refused rather than
// silently left out.
func TestReviewLoadCase(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"0002_b.up.SQL", "0002_b.UP.SQL", "0002_b.Sql"} {
		fsys := dir("0001_a.up.sql", "SELECT 1;", name, "SELECT 2;")
		ms, err := migrate.Load(fsys, ".")
		if err == nil {
			t.Errorf("Load with %s: %d migrations, no error", name, len(ms))
			continue
		}
		wantErr(t, err, nil, "migrate: load: "+name+": ")
	}
}

// On PostgreSQL, Status reads the version table of the schema the runner
// migrates (the current schema), not one of a later schema of the
// search_path: it said the migrations of the other schema were applied
// here. The test is PostgreSQL's alone: SQLite has no schemas.
func TestReviewStatusSearchPath(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	otherDSN := freshDSN(t, "postgres")
	other := openDSN(t, otherDSN)
	if _, err := newRunner(t, other, music).Up(ctx, 0); err != nil {
		t.Fatal(err)
	}
	// A second fresh schema, first on the search path, the other after.
	u, err := url.Parse(freshDSN(t, "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	ou, _ := url.Parse(otherDSN)
	q := u.Query()
	q.Set("search_path", q.Get("search_path")+","+ou.Query().Get("search_path"))
	u.RawQuery = q.Encode()
	db := openDSN(t, u.String())
	r := newRunner(t, db, music)
	wantStates(t, r, "1 pending, 2 pending, 3 pending")
	done, err := r.Up(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	wantVersions(t, "Up(1)", done, 1)
	wantStates(t, r, "1 applied, 2 pending, 3 pending")
}
