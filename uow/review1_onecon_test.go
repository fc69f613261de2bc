package uow_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/fixtures/school"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// TestReview1OneConnectionEnds: on a SQLite database of one connection, a
// unit whose function fails or panics, a unit whose function runs a
// statement on the DB (which waits for the unit's own transaction and is
// refused after the busy timeout, under Retry too), and an Iter broken out
// of early or whose context ends, each give the connection back: the
// next statement on the DB runs at once, where a connection kept would make
// it fail after the busy timeout.
func TestReview1OneConnectionEnds(t *testing.T) {
	ctx := context.Background()
	raw, db := openSchoolOne(t, 50*time.Millisecond)
	students := repo.New(db, school.Students.Table)
	free := func(what string) {
		t.Helper()
		if _, err := students.Count(ctx); err != nil {
			t.Fatalf("%s: a statement on the DB = %v", what, err)
		}
	}

	failed := errors.New("failed")
	if err := uow.Run(ctx, db, func(u *uow.Unit) error {
		if err := uow.Add(u, school.Courses.Table, &school.Course{}); err != nil {
			return err
		}
		if err := u.Flush(ctx); err != nil {
			return err
		}
		return failed
	}); !errors.Is(err, failed) {
		t.Fatalf("Run = %v, want the function's error", err)
	}
	free("after a unit whose function failed")

	func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Fatalf("recovered %v, want boom", p)
			}
		}()
		_ = uow.Run(ctx, db, func(u *uow.Unit) error {
			if _, err := uow.Get(ctx, u, school.Students.Table, int64(1)); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	free("after a unit whose function panicked")

	attempts := 0
	err := uow.Run(ctx, db, func(u *uow.Unit) error {
		attempts++
		_, err := students.Count(ctx) // on the DB, not the unit
		return err
	}, uow.Retry(2, 0))
	if !errors.Is(err, dialect.ErrRetryable) || !strings.Contains(err.Error(), "one connection") {
		t.Fatalf("a unit running a statement on the DB = %v, want ErrRetryable naming the one connection", err)
	}
	t.Logf("a unit running a statement on the DB ran %d times under Retry(2)", attempts)
	free("after units refused their statement on the DB")

	n := 0
	for _, err := range students.Query().Iter(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		break
	}
	if n != 1 {
		t.Fatalf("Iter yielded %d rows before the break, want 1", n)
	}
	free("after an Iter broken out of")

	ictx, cancel := context.WithCancel(ctx)
	for _, err := range students.Query().Iter(ictx) {
		cancel()
		if err != nil {
			break
		}
	}
	cancel()
	free("after an Iter whose context ended")

	if err := uow.Run(ctx, db, func(u *uow.Unit) error {
		for _, err := range repo.New(u.Tx(), school.Students.Table).Query().Iter(ctx) {
			if err != nil {
				return err
			}
			break
		}
		return uow.Add(u, school.Courses.Table, &school.Course{})
	}); err != nil {
		t.Fatalf("a unit that broke out of an Iter on it: %v", err)
	}
	free("after a unit that broke out of an Iter")
	if got := school.Counts(t, raw); got[1] != 3 {
		t.Fatalf("courses = %d, want 3 (2 seeded): the failed unit's course undone, the last one's kept", got[1])
	}
}
