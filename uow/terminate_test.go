package uow_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// A unit whose server backend is killed after a flush that wrote rows and
// before its commit fails with an error that wraps the driver's report of
// the lost connection, commits nothing, and leaves the pool usable: the
// next unit on it commits.
//
// The test is PostgreSQL's alone: SQLite has no server process to
// terminate. Its connection is a file handle inside this process, and no
// other connection can end the unit's transaction from outside.
func TestTerminatedBackend(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		// next is the unit's first call after its backend died; it returns
		// that call's error.
		next func(ctx context.Context, u *uow.Unit) error
		// failed is whether the error must match uow.ErrFailed: a flush's
		// statement failed, not a query or the COMMIT itself.
		failed bool
		// unknown is whether the COMMIT itself met the loss: the client
		// sent it and the connection ended, so it cannot know that the
		// server ended the transaction first.
		unknown bool
	}{
		{"flush", func(ctx context.Context, u *uow.Unit) error {
			if err := uow.Add(u, labels.Table, &label{Name: "after the kill"}); err != nil {
				return err
			}
			return u.Flush(ctx)
		}, true, false},
		{"commit with pending work", func(ctx context.Context, u *uow.Unit) error {
			if err := uow.Add(u, labels.Table, &label{Name: "after the kill"}); err != nil {
				return err
			}
			return u.Commit(ctx)
		}, true, false},
		{"commit", func(ctx context.Context, u *uow.Unit) error {
			return u.Commit(ctx)
		}, false, true},
		{"find", func(ctx context.Context, u *uow.Unit) error {
			_, err := uow.Find(ctx, u, repo.New(u.Tx(), artists.Table).Query())
			return err
		}, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a guard against a hang, not an assertion
			defer cancel()
			db := testdb.Postgres(t)
			if err := mapped.CreateAll(ctx, db, labels.Table, artists.Table, tracks.Table); err != nil {
				t.Fatal(err)
			}
			seed(t, db, artists.Table, &artist{Name: "Queen", Born: born})

			u := begin(t, db)
			queen, err := uow.Get(ctx, u, artists.Table, 1)
			if err != nil {
				t.Fatal(err)
			}
			queen.Rating = 5
			m83 := &artist{Name: "M83", Born: born}
			if err := uow.Add(u, artists.Table, m83); err != nil {
				t.Fatal(err)
			}
			if err := u.Flush(ctx); err != nil {
				t.Fatalf("flush before the kill: %v", err)
			}
			if err := uow.Add(u, tracks.Table, &track{ArtistID: m83.ID, Title: "Wait"}); err != nil {
				t.Fatal(err)
			}
			if err := u.Flush(ctx); err != nil {
				t.Fatalf("second flush before the kill: %v", err)
			}

			pid := testdb.Scalar[int64](t, u.Tx(), "SELECT pg_backend_pid()")
			// From another connection of the pool (the unit's is busy in
			// its transaction); the timeout makes the call wait until the
			// backend has exited.
			if !testdb.Scalar[bool](t, db, "SELECT pg_terminate_backend($1::int, 10000)", pid) {
				t.Fatalf("pg_terminate_backend(%d) = false", pid)
			}

			err = tc.next(ctx, u)
			if err == nil {
				t.Fatalf("%s after the backend was terminated = nil, want an error", tc.name)
			}
			t.Logf("%s after the backend was terminated: %v", tc.name, err)
			if tc.failed && !errors.Is(err, uow.ErrFailed) {
				t.Errorf("%s after the backend was terminated = %v, want ErrFailed: a flush statement failed", tc.name, err)
			}
			if tc.unknown {
				checkCommitUnknown(t, tc.name, err)
			} else {
				checkConnLost(t, tc.name, err)
			}

			// Whatever the unit is asked next, it never reports success: a
			// failed unit stays failed, a finished one is done, and a
			// COMMIT on the dead connection is refused.
			switch err := u.Commit(ctx); {
			case err == nil:
				t.Errorf("Commit after a lost backend = nil, want an error")
			case tc.failed && !errors.Is(err, uow.ErrFailed):
				t.Errorf("Commit after a failed flush = %v, want ErrFailed", err)
			case tc.name == "commit" && !errors.Is(err, uow.ErrDone):
				t.Errorf("Commit after a failed commit = %v, want ErrDone", err)
			case !tc.failed && tc.name != "commit":
				checkConnLost(t, "Commit after "+tc.name, err)
			}
			if err := u.Rollback(ctx); err != nil && !errors.Is(err, uow.ErrDone) {
				t.Errorf("Rollback after a lost backend = %v, want nil: the server already ended the transaction", err)
			}
			if err := u.Rollback(ctx); !errors.Is(err, uow.ErrDone) {
				t.Errorf("second Rollback = %v, want ErrDone", err)
			}

			// Nothing of the unit is stored, read from a fresh connection.
			for _, c := range []struct {
				sql  string
				want int64
			}{
				{`SELECT count(*) FROM "artist"`, 1},
				{`SELECT count(*) FROM "track"`, 0},
				{`SELECT count(*) FROM "label"`, 0},
				{`SELECT rating FROM "artist" WHERE id = 1`, 0},
			} {
				if got := testdb.Scalar[int64](t, db, c.sql); got != c.want {
					t.Errorf("%s = %d, want %d: the unit's work was committed", c.sql, got, c.want)
				}
			}

			// The pool dropped the dead connection: the next unit commits.
			err = uow.Run(ctx, db, func(u *uow.Unit) error {
				a, err := uow.Get(ctx, u, artists.Table, 1)
				if err != nil {
					return err
				}
				a.Rating = 7
				return uow.Add(u, labels.Table, &label{Name: "next unit"})
			})
			if err != nil {
				t.Fatalf("next unit on the pool: %v", err)
			}
			if n, r := count(t, db, labels.Table), stored(t, db, artists.Table, 1).Rating; n != 1 || r != 7 {
				t.Errorf("after the next unit: %d labels, rating %d; want 1 and 7", n, r)
			}
		})
	}
}

// checkConnLost checks that err, returned by a unit whose backend was
// terminated, says so in a form callers can test: it matches
// dialect.ErrConnLost and still wraps the driver's error.
func checkConnLost(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, dialect.ErrConnLost) {
		t.Errorf("%s = %v, want an error matching dialect.ErrConnLost", what, err)
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) && !errors.Is(err, pgconn.ErrConnClosed) {
		t.Errorf("%s = %v: the driver's error (*pgconn.PgError or pgconn.ErrConnClosed) is not reachable", what, err)
	}
	if pe != nil && pe.Code != "57P01" {
		t.Errorf("%s: server error %s (%s), want SQLSTATE 57P01", what, pe.Code, pe.Message)
	}
}

// checkCommitUnknown checks that err, returned by a COMMIT sent on a
// connection whose backend was terminated, says that its outcome is
// unknown, not that nothing was committed, and still wraps the server's
// error.
func checkCommitUnknown(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, dialect.ErrCommitUnknown) || errors.Is(err, dialect.ErrConnLost) {
		t.Errorf("%s = %v, want an error matching dialect.ErrCommitUnknown and not ErrConnLost", what, err)
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "57P01" {
		t.Errorf("%s = %v: the server's error (SQLSTATE 57P01) is not reachable", what, err)
	}
}

// Retry runs a unit again when its connection was lost before the COMMIT
// was sent (the server rolled it back), but not when it was lost with the
// COMMIT on its way: that one's outcome is unknown, and it is reported.
func TestTerminatedBackendRetried(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a guard against a hang, not an assertion
	defer cancel()
	db := testdb.Postgres(t)
	if err := mapped.CreateAll(ctx, db, labels.Table); err != nil {
		t.Fatal(err)
	}
	kill := func(u *uow.Unit) {
		pid := testdb.Scalar[int64](t, u.Tx(), "SELECT pg_backend_pid()")
		if !testdb.Scalar[bool](t, db, "SELECT pg_terminate_backend($1::int, 10000)", pid) {
			t.Fatalf("pg_terminate_backend(%d) = false", pid)
		}
	}

	runs := 0
	err := uow.Run(ctx, db, func(u *uow.Unit) error {
		runs++
		if err := uow.Add(u, labels.Table, &label{Name: "before commit"}); err != nil {
			return err
		}
		if runs == 1 {
			kill(u) // the commit's flush finds the connection gone
		}
		return nil
	}, uow.Retry(3, time.Millisecond))
	if err != nil || runs != 2 {
		t.Errorf("Run with a connection lost before COMMIT = %v after %d runs, want success after 2", err, runs)
	}

	runs = 0
	err = uow.Run(ctx, db, func(u *uow.Unit) error {
		runs++
		if err := uow.Add(u, labels.Table, &label{Name: "at commit"}); err != nil {
			return err
		}
		if err := u.Flush(ctx); err != nil {
			return err
		}
		kill(u) // nothing left to flush: the COMMIT itself meets the loss
		return nil
	}, uow.Retry(3, time.Millisecond))
	if !errors.Is(err, dialect.ErrCommitUnknown) || errors.Is(err, dialect.ErrConnLost) || runs != 1 {
		t.Errorf("Run with a connection lost at COMMIT = %v after %d runs, want ErrCommitUnknown (not ErrConnLost) after 1", err, runs)
	}
	if n := count(t, db, labels.Table); n != 1 {
		t.Errorf("%d labels stored, want 1 (the retried unit's)", n)
	}
}
