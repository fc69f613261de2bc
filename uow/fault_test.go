package uow_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// hookedDB opens a fresh database of dialect name with the label, artist,
// track and counter tables, and a hook that calls the function stored in
// the returned pointer (if any) after every statement.
func hookedDB(t *testing.T, name string) (dialect.DB, *atomic.Pointer[dialect.Hook]) {
	t.Helper()
	h := &atomic.Pointer[dialect.Hook]{}
	db := testdb.Open(t, name, dialect.WithHook(func(ctx context.Context, e dialect.Event) {
		if f := h.Load(); f != nil {
			(*f)(ctx, e)
		}
	}))
	if err := mapped.CreateAll(context.Background(), db, labels.Table, artists.Table, tracks.Table, counters.Table); err != nil {
		t.Fatalf("CreateAll: %v", err)
	}
	return db, h
}

func eachHooked(t *testing.T, body func(t *testing.T, name string, db dialect.DB, hook *atomic.Pointer[dialect.Hook])) {
	t.Helper()
	for _, name := range testdb.Dialects {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			db, h := hookedDB(t, name)
			body(t, name, db, h)
		})
	}
}

func setHook(p *atomic.Pointer[dialect.Hook], f func(ctx context.Context, e dialect.Event)) {
	if f == nil {
		p.Store(nil)
		return
	}
	h := dialect.Hook(f)
	p.Store(&h)
}

// A flush whose batch holds a stale versioned UPDATE followed by a
// statement that violates a constraint must still report a typed error
// (ErrStale, which Retry re-runs, or the constraint's sentinel), as it does
// when each fails alone.
func TestFaultStaleThenViolation(t *testing.T) {
	t.Parallel()
	eachHooked(t, func(t *testing.T, name string, db dialect.DB, _ *atomic.Pointer[dialect.Hook]) {
		ctx := context.Background()
		seed(t, db, counters.Table, &counter{Name: "c"})
		seed(t, db, artists.Table, &artist{Name: "Queen", Born: born}, &artist{Name: "Taken", Born: born})
		seed(t, db, tracks.Table, &track{ArtistID: 2, Title: "Two"})
		u := begin(t, db)
		c, err := uow.Get(ctx, u, counters.Table, 1)
		if err != nil {
			t.Fatal(err)
		}
		// Another writer bumps the counter's version (in the unit's
		// transaction so that SQLite's write lock lets it).
		other, err := repo.New(u.Tx(), counters.Table).Get(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		other.N = 100
		if err := repo.New(u.Tx(), counters.Table).Update(ctx, other); err != nil {
			t.Fatal(err)
		}
		c.N = 5 // stale UPDATE
		taken, err := uow.Get(ctx, u, artists.Table, 2)
		if err != nil {
			t.Fatal(err)
		}
		if err := uow.Delete(u, artists.Table, taken); err != nil { // referenced by a track
			t.Fatal(err)
		}
		err = u.Flush(ctx)
		t.Logf("Flush = %v", err)
		if !errors.Is(err, uow.ErrFailed) {
			t.Fatalf("Flush = %v, want ErrFailed", err)
		}
		if !errors.Is(err, repo.ErrStale) && !errors.Is(err, dialect.ErrForeignKey) {
			t.Errorf("Flush = %v, want it to wrap repo.ErrStale (the first failure) or dialect.ErrForeignKey; got neither", err)
		}
	})
}

// Commit with a canceled context commits nothing and reports an error, on
// every dialect (PostgreSQL refuses to send the COMMIT).
func TestFaultCommitCanceledContext(t *testing.T) {
	t.Parallel()
	eachHooked(t, func(t *testing.T, name string, db dialect.DB, _ *atomic.Pointer[dialect.Hook]) {
		ctx := context.Background()
		u := begin(t, db)
		if err := uow.Add(u, labels.Table, &label{Name: "x"}); err != nil {
			t.Fatal(err)
		}
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		canceled, cancel := context.WithCancel(ctx)
		cancel()
		err := u.Commit(canceled)
		t.Logf("Commit(canceled) = %v", err)
		if err == nil {
			t.Errorf("Commit with a canceled context = nil, want context.Canceled")
		} else if !errors.Is(err, context.Canceled) {
			t.Errorf("Commit with a canceled context = %v, want it to match context.Canceled", err)
		}
		if n := count(t, db, labels.Table); n != 0 && err != nil {
			t.Errorf("%d labels stored after a Commit that returned an error", n)
		}
	})
}

// Run whose context is canceled after fn flushed and before the COMMIT
// commits nothing and returns an error matching context.Canceled.
func TestFaultRunCanceledBeforeCommit(t *testing.T) {
	t.Parallel()
	eachHooked(t, func(t *testing.T, name string, db dialect.DB, _ *atomic.Pointer[dialect.Hook]) {
		for i := range 5 {
			ctx, cancel := context.WithCancel(context.Background())
			err := uow.Run(ctx, db, func(u *uow.Unit) error {
				if err := uow.Add(u, labels.Table, &label{Name: fmt.Sprint("x", i)}); err != nil {
					return err
				}
				if err := u.Flush(ctx); err != nil {
					return err
				}
				cancel()
				time.Sleep(10 * time.Millisecond)
				return nil
			})
			if err == nil || !errors.Is(err, context.Canceled) {
				t.Errorf("run %d: Run canceled before its COMMIT = %v, want an error matching context.Canceled", i, err)
			}
			if strings.Contains(fmt.Sprint(err), "already committed") {
				t.Errorf("run %d: error %q says the unit may be committed", i, err)
			}
		}
		if n := count(t, db, labels.Table); n != 0 {
			t.Errorf("%d labels stored, want 0", n)
		}
	})
}

// A context canceled in the middle of a flush (after its first round of
// INSERTs) fails the unit with ErrFailed matching context.Canceled,
// commits nothing, Rollback succeeds and the pool stays usable.
func TestFaultCancelMidFlush(t *testing.T) {
	t.Parallel()
	eachHooked(t, func(t *testing.T, name string, db dialect.DB, hook *atomic.Pointer[dialect.Hook]) {
		seed(t, db, artists.Table, &artist{Name: "Queen", Born: born})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		u, err := uow.Begin(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		// Two rounds: artist first, then the track (which references the
		// artist table).
		if err := uow.Add(u, artists.Table, &artist{Name: "New", Born: born}); err != nil {
			t.Fatal(err)
		}
		if err := uow.Add(u, tracks.Table, &track{ArtistID: 1, Title: "t"}); err != nil {
			t.Fatal(err)
		}
		setHook(hook, func(_ context.Context, e dialect.Event) {
			if strings.Contains(e.SQL, `INSERT INTO "artist"`) {
				cancel()
			}
		})
		err = u.Flush(ctx)
		setHook(hook, nil)
		t.Logf("Flush = %v", err)
		if !errors.Is(err, uow.ErrFailed) || !errors.Is(err, context.Canceled) {
			t.Errorf("Flush canceled midway = %v, want ErrFailed and context.Canceled", err)
		}
		if err := u.Commit(context.Background()); !errors.Is(err, uow.ErrFailed) {
			t.Errorf("Commit after a canceled flush = %v, want ErrFailed", err)
		}
		if err := u.Rollback(context.Background()); err != nil {
			t.Errorf("Rollback after a canceled flush = %v, want nil", err)
		}
		if na, nt := count(t, db, artists.Table), count(t, db, tracks.Table); na != 1 || nt != 0 {
			t.Errorf("%d artists, %d tracks stored; want 1 and 0", na, nt)
		}
		if err := uow.Run(context.Background(), db, func(u *uow.Unit) error {
			return uow.Add(u, labels.Table, &label{Name: "next"})
		}); err != nil {
			t.Errorf("next Run: %v", err)
		}
	})
}

// Retry does not re-run a unit whose context was canceled mid-flush.
func TestFaultRetryCanceled(t *testing.T) {
	t.Parallel()
	eachHooked(t, func(t *testing.T, name string, db dialect.DB, hook *atomic.Pointer[dialect.Hook]) {
		seed(t, db, artists.Table, &artist{Name: "Queen", Born: born})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		setHook(hook, func(_ context.Context, e dialect.Event) {
			if strings.Contains(e.SQL, `INSERT INTO "artist"`) {
				cancel()
			}
		})
		runs := 0
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			runs++
			if err := uow.Add(u, artists.Table, &artist{Name: fmt.Sprint("New", runs), Born: born}); err != nil {
				return err
			}
			return uow.Add(u, tracks.Table, &track{ArtistID: 1, Title: "t"})
		}, uow.Retry(5, time.Millisecond))
		setHook(hook, nil)
		if runs != 1 || !errors.Is(err, context.Canceled) {
			t.Errorf("Run canceled mid-flush = %v after %d runs, want context.Canceled after 1", err, runs)
		}
		if na := count(t, db, artists.Table); na != 1 {
			t.Errorf("%d artists stored, want 1", na)
		}
	})
}

// pgConflict installs on PostgreSQL's label table a trigger that raises
// SQLSTATE code for the first n rows it sees (counted by a sequence, which
// rollbacks do not undo); deferred makes it a constraint trigger checked
// at COMMIT.
func pgConflict(t *testing.T, db dialect.DB, code string, n int, deferred bool) {
	t.Helper()
	ctx := context.Background()
	stmts := []string{
		`CREATE SEQUENCE conflict_seq`,
		`CREATE FUNCTION raise_conflict() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF nextval('conflict_seq') <= ` + fmt.Sprint(n) + ` THEN
				RAISE EXCEPTION 'injected %', '` + code + `' USING ERRCODE = '` + code + `';
			END IF;
			RETURN NEW;
		END $$`,
	}
	if deferred {
		stmts = append(stmts, `CREATE CONSTRAINT TRIGGER raise_conflict AFTER INSERT ON "label"
			DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION raise_conflict()`)
	} else {
		stmts = append(stmts, `CREATE TRIGGER raise_conflict BEFORE INSERT ON "label"
			FOR EACH ROW EXECUTE FUNCTION raise_conflict()`)
	}
	for _, s := range stmts {
		if _, err := db.Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// Server-raised conflicts (40001, 40P01, at a flush statement or at the
// COMMIT) are retried with the backoff; other server errors are not.
func TestFaultRetryServerErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		code     string
		deferred bool
		fails    int
		attempts int
		runs     int
		ok       bool
	}{
		{"40001", false, 2, 3, 3, true},
		{"40P01", false, 2, 3, 3, true},
		{"40001", true, 2, 3, 3, true},
		{"40001", false, 5, 3, 3, false},
		{"P0001", false, 1, 3, 1, false},
		{"23505", false, 1, 3, 1, false},
		{"57014", false, 1, 3, 1, false}, // query_canceled
		{"55P03", false, 1, 3, 1, false}, // lock_not_available
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s deferred=%v fails=%d", tc.code, tc.deferred, tc.fails), func(t *testing.T) {
			t.Parallel()
			db := testdb.Postgres(t)
			ctx := context.Background()
			if err := mapped.CreateAll(ctx, db, labels.Table); err != nil {
				t.Fatal(err)
			}
			pgConflict(t, db, tc.code, tc.fails, tc.deferred)
			runs := 0
			const backoff = 40 * time.Millisecond
			start := time.Now()
			err := uow.Run(ctx, db, func(u *uow.Unit) error {
				runs++
				return uow.Add(u, labels.Table, &label{Name: fmt.Sprint("run", runs)})
			}, uow.Retry(tc.attempts, backoff))
			took := time.Since(start)
			if runs != tc.runs || (err == nil) != tc.ok {
				t.Errorf("Run = %v after %d runs, want ok=%v after %d", err, runs, tc.ok, tc.runs)
			}
			if !tc.ok && err != nil && tc.runs > 1 && !errors.Is(err, dialect.ErrRetryable) {
				t.Errorf("exhausted Run = %v, want ErrRetryable", err)
			}
			if min := time.Duration(runs*(runs-1)/2) * backoff; took < min {
				t.Errorf("%d runs took %v, want at least %v of backoff", runs, took, min)
			}
			want := int64(0)
			if tc.ok {
				want = 1
			}
			if n := count(t, db, labels.Table); n != want {
				t.Errorf("%d labels stored, want %d", n, want)
			}
		})
	}
}

// SQLITE_BUSY (a write lock held by another connection past the busy
// timeout) makes Run re-run the unit with Retry, and is returned as
// ErrRetryable without it.
func TestFaultSQLiteBusy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := t.TempDir() + "/busy.db"
	var begins atomic.Int32
	db, err := sqlite.Open(ctx, path, dialect.WithHook(func(_ context.Context, e dialect.Event) {
		if e.Op == dialect.OpBegin {
			begins.Add(1)
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SQL().SetMaxOpenConns(1)
	if _, err := db.Exec(ctx, "PRAGMA busy_timeout = 30"); err != nil {
		t.Fatal(err)
	}
	if err := mapped.CreateAll(ctx, db, labels.Table); err != nil {
		t.Fatal(err)
	}
	other, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	hold := func(d time.Duration) {
		tx, err := other.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			time.Sleep(d)
			_ = tx.Commit(ctx)
		}()
	}

	hold(300 * time.Millisecond)
	err = uow.Run(ctx, db, func(u *uow.Unit) error {
		return uow.Add(u, labels.Table, &label{Name: "no retry"})
	})
	if !errors.Is(err, dialect.ErrRetryable) {
		t.Errorf("Run while locked, no Retry = %v, want ErrRetryable", err)
	}
	time.Sleep(400 * time.Millisecond)

	hold(300 * time.Millisecond)
	begins.Store(0)
	runs := 0
	err = uow.Run(ctx, db, func(u *uow.Unit) error {
		runs++
		return uow.Add(u, labels.Table, &label{Name: "retried"})
	}, uow.Retry(50, 20*time.Millisecond))
	if err != nil || runs != 1 || begins.Load() < 2 {
		t.Errorf("Run while locked with Retry = %v after %d runs and %d BEGINs; want success after several BEGINs", err, runs, begins.Load())
	}
	if n := count(t, db, labels.Table); n != 1 {
		t.Errorf("%d labels stored, want 1", n)
	}
}

// On PostgreSQL, a statement the caller ran through u.Tx() that failed
// (and whose error the caller dropped) aborts the transaction: Run's
// COMMIT, answered with ROLLBACK, is an error, with or without pending
// work, and nothing is stored.
func TestFaultAbortedTransaction(t *testing.T) {
	t.Parallel()
	db := testdb.Postgres(t)
	ctx := context.Background()
	if err := mapped.CreateAll(ctx, db, labels.Table); err != nil {
		t.Fatal(err)
	}
	seed(t, db, labels.Table, &label{Name: "seeded"})
	for _, pending := range []bool{false, true} {
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			if err := uow.Add(u, labels.Table, &label{Name: "flushed"}); err != nil {
				return err
			}
			if err := u.Flush(ctx); err != nil {
				return err
			}
			if err := repo.New(u.Tx(), labels.Table).Insert(ctx, &label{ID: 1, Name: "dup"}); err == nil {
				t.Error("duplicate insert succeeded")
			}
			if pending {
				return uow.Add(u, labels.Table, &label{Name: "pending"})
			}
			return nil
		})
		if err == nil {
			t.Errorf("pending=%v: Run of an aborted transaction = nil, want an error", pending)
		}
		t.Logf("pending=%v: %v", pending, err)
		if n := count(t, db, labels.Table); n != 1 {
			t.Errorf("pending=%v: %d labels stored, want 1", pending, n)
		}
	}
}

// A nested unit whose connection is lost cannot have rolled back to its
// savepoint: the outer transaction is gone with the connection, so the
// unit must not go on as usable, and nothing is committed.
func TestFaultNestedConnLost(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db := testdb.Postgres(t)
	if err := mapped.CreateAll(ctx, db, labels.Table); err != nil {
		t.Fatal(err)
	}
	u := begin(t, db)
	if err := uow.Add(u, labels.Table, &label{Name: "outer"}); err != nil {
		t.Fatal(err)
	}
	if err := u.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	err := u.Nested(ctx, func(u *uow.Unit) error {
		pid := testdb.Scalar[int64](t, u.Tx(), "SELECT pg_backend_pid()")
		if !testdb.Scalar[bool](t, db, "SELECT pg_terminate_backend($1::int, 10000)", pid) {
			t.Fatalf("pg_terminate_backend(%d) = false", pid)
		}
		return uow.Add(u, labels.Table, &label{Name: "inner"})
	})
	t.Logf("Nested = %v", err)
	if !errors.Is(err, dialect.ErrConnLost) {
		t.Errorf("Nested after the kill = %v, want ErrConnLost", err)
	}
	// The savepoint could not be rolled back to: the unit's transaction
	// is gone, and the unit must say so rather than accept more work.
	if err := uow.Add(u, labels.Table, &label{Name: "after"}); !errors.Is(err, uow.ErrFailed) {
		t.Errorf("Add after a Nested whose connection was lost = %v, want ErrFailed", err)
	}
	if err := u.Commit(ctx); err == nil {
		t.Errorf("Commit after the connection was lost = nil")
	}
	if n := count(t, db, labels.Table); n != 0 {
		t.Errorf("%d labels stored, want 0", n)
	}
}

// Every call on a unit that Run has finished (committed, rolled back
// after an error, rolled back after a panic) is refused with ErrDone.
func TestFaultUseAfterRun(t *testing.T) {
	t.Parallel()
	eachHooked(t, func(t *testing.T, name string, db dialect.DB, _ *atomic.Pointer[dialect.Hook]) {
		ctx := context.Background()
		stop := errors.New("stop")
		for _, mode := range []string{"commit", "error", "panic", "commit inside"} {
			var kept *uow.Unit
			var runErr error
			func() {
				defer func() { _ = recover() }()
				runErr = uow.Run(ctx, db, func(u *uow.Unit) error {
					kept = u
					if err := uow.Add(u, labels.Table, &label{Name: mode}); err != nil {
						return err
					}
					switch mode {
					case "error":
						return stop
					case "panic":
						panic(stop)
					case "commit inside":
						return u.Commit(ctx)
					}
					return nil
				})
			}()
			if mode == "commit inside" {
				t.Logf("Run with a Commit inside fn = %v", runErr)
			}
			l := &label{Name: mode + " late"}
			_, getErr := uow.Get(ctx, kept, labels.Table, 1)
			for what, err := range map[string]error{
				"Add":      uow.Add(kept, labels.Table, l),
				"Delete":   uow.Delete(kept, labels.Table, l),
				"Get":      getErr,
				"Flush":    kept.Flush(ctx),
				"Commit":   kept.Commit(ctx),
				"Rollback": kept.Rollback(ctx),
				"Nested":   kept.Nested(ctx, func(*uow.Unit) error { return nil }),
			} {
				if !errors.Is(err, uow.ErrDone) {
					t.Errorf("%s: %s after Run = %v, want ErrDone", mode, what, err)
				}
			}
		}
		if n := count(t, db, labels.Table); n != 2 {
			t.Errorf("%d labels stored, want 2 (commit, commit inside)", n)
		}
	})
}

// Many units run at once on one database, some failing with a
// constraint, some returning an error, some panicking, some canceled:
// the successful ones are all stored, none of the others, and the pool
// is not left short of connections.
func TestFaultConcurrentRuns(t *testing.T) {
	t.Parallel()
	eachHooked(t, func(t *testing.T, name string, db dialect.DB, _ *atomic.Pointer[dialect.Hook]) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		seed(t, db, artists.Table, &artist{Name: "taken", Born: born})
		const workers, each = 8, 12
		var ok atomic.Int64
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					kind := (w + i) % 5
					rctx := ctx
					var c context.CancelFunc = func() {}
					if kind == 4 {
						rctx, c = context.WithCancel(ctx)
					}
					func() {
						defer func() { _ = recover() }()
						err := uow.Run(rctx, db, func(u *uow.Unit) error {
							n := fmt.Sprintf("w%d-%d", w, i)
							if kind == 1 {
								n = "taken"
							}
							if err := uow.Add(u, artists.Table, &artist{Name: n, Born: born}); err != nil {
								return err
							}
							if err := u.Flush(rctx); err != nil {
								return err
							}
							switch kind {
							case 2:
								return errors.New("fn error")
							case 3:
								panic("boom")
							case 4:
								c()
							}
							return nil
						})
						if kind == 0 {
							if err != nil {
								t.Errorf("plain unit: %v", err)
							} else {
								ok.Add(1)
							}
						} else if err == nil {
							t.Errorf("unit of kind %d succeeded", kind)
						}
					}()
					c()
				}
			})
		}
		wg.Wait()
		if ctx.Err() != nil {
			t.Fatal("units did not finish: connections leaked?")
		}
		if n := count(t, db, artists.Table); n != ok.Load()+1 {
			t.Errorf("%d artists stored, want %d", n, ok.Load()+1)
		}
	})
}

// With Retry, a unit whose Nested lost the connection (an error fn
// chooses to drop, as for an optional step) is run again: the loss
// happened before the COMMIT was sent, so nothing was committed.
func TestFaultNestedConnLostRetried(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db := testdb.Postgres(t)
	if err := mapped.CreateAll(ctx, db, labels.Table); err != nil {
		t.Fatal(err)
	}
	runs := 0
	err := uow.Run(ctx, db, func(u *uow.Unit) error {
		runs++
		if err := uow.Add(u, labels.Table, &label{Name: "outer"}); err != nil {
			return err
		}
		if err := u.Flush(ctx); err != nil {
			return err
		}
		nerr := u.Nested(ctx, func(u *uow.Unit) error {
			if runs == 1 {
				pid := testdb.Scalar[int64](t, u.Tx(), "SELECT pg_backend_pid()")
				testdb.Scalar[bool](t, db, "SELECT pg_terminate_backend($1::int, 10000)", pid)
			}
			return uow.Add(u, labels.Table, &label{Name: "optional"})
		})
		_ = nerr // the optional step may fail
		return nil
	}, uow.Retry(3, time.Millisecond))
	if err != nil || runs != 2 {
		t.Errorf("Run = %v after %d runs, want success after 2", err, runs)
	}
	if n := count(t, db, labels.Table); n != 2 {
		t.Errorf("%d labels stored, want 2 (the second run's)", n)
	}
}

// A pooled connection that the server terminated while idle fails the
// next unit's BEGIN: that error must match dialect.ErrConnLost (nothing
// began, nothing is committed), so Retry runs the unit again.
func TestFaultBeginOnTerminatedConn(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db := testdb.PostgresConfig(t, func(c *pgxpool.Config) { c.MaxConns = 1; c.MinConns = 0 })
	killer := testdb.Postgres(t)
	if err := mapped.CreateAll(ctx, db, labels.Table); err != nil {
		t.Fatal(err)
	}
	kill := func() {
		pid := testdb.Scalar[int64](t, db, "SELECT pg_backend_pid()")
		if !testdb.Scalar[bool](t, killer, "SELECT pg_terminate_backend($1::int, 10000)", pid) {
			t.Fatalf("pg_terminate_backend(%d) = false", pid)
		}
	}
	kill()
	runs := 0
	err := uow.Run(ctx, db, func(u *uow.Unit) error {
		runs++
		return uow.Add(u, labels.Table, &label{Name: "retried"})
	}, uow.Retry(3, time.Millisecond))
	if err != nil {
		t.Errorf("Run with Retry on a terminated idle connection = %v, want success on a new connection", err)
	}
	kill()
	u, err := uow.Begin(ctx, db)
	if err == nil {
		_ = u.Rollback(ctx) // the pool found the connection dead before BEGIN
	} else if !errors.Is(err, dialect.ErrConnLost) {
		t.Errorf("Begin on a terminated idle connection = %v, want an error matching dialect.ErrConnLost", err)
	}
}

// A statement of a nested unit's flush interrupted by its context's
// deadline: Nested reports the deadline, and either the unit stays usable
// and commits its outer work (the savepoint was rolled back to), or it is
// failed and refuses work; never usable with its work gone.
func TestFaultNestedDeadline(t *testing.T) {
	t.Parallel()
	slow := map[string][]string{
		"sqlite": {`CREATE TRIGGER slow_insert AFTER INSERT ON "label" WHEN NEW.name = 'slow' BEGIN
			SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 100000000) SELECT x FROM c);
		END`},
		"postgres": {`CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN IF NEW.name = 'slow' THEN PERFORM pg_sleep(5); END IF; RETURN NEW; END $$`,
			`CREATE TRIGGER slow_insert BEFORE INSERT ON "label" FOR EACH ROW EXECUTE FUNCTION slow_insert()`},
	}
	eachHooked(t, func(t *testing.T, name string, db dialect.DB, _ *atomic.Pointer[dialect.Hook]) {
		ctx := context.Background()
		for _, s := range slow[name] {
			if _, err := db.Exec(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		u := begin(t, db)
		if err := uow.Add(u, labels.Table, &label{Name: "outer"}); err != nil {
			t.Fatal(err)
		}
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		dctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := u.Nested(dctx, func(u *uow.Unit) error {
			return uow.Add(u, labels.Table, &label{Name: "slow"})
		})
		t.Logf("Nested = %v after %v", err, time.Since(start))
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Nested past its deadline = %v, want context.DeadlineExceeded", err)
		}
		addErr := uow.Add(u, labels.Table, &label{Name: "after"})
		commitErr := u.Commit(ctx)
		n := count(t, db, labels.Table)
		t.Logf("Add = %v; Commit = %v; %d labels stored", addErr, commitErr, n)
		switch {
		case addErr == nil && commitErr != nil:
			t.Errorf("the unit accepted work after the Nested (Add = nil) but its Commit failed: %v", commitErr)
		case addErr == nil && n != 2:
			t.Errorf("%d labels stored, want 2 (outer, after)", n)
		case addErr != nil && n != 0:
			t.Errorf("the unit was failed but %d labels are stored", n)
		}
		if err := u.Rollback(ctx); err != nil && !errors.Is(err, uow.ErrDone) {
			t.Errorf("Rollback of the unit = %v, want nil: nothing of it is stored", err)
		}
	})
}
