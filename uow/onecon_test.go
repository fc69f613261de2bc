package uow_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/internal/fixtures/school"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// TestOneConnection: on a SQLite database of one connection
// (sqlite.Config.OneConnection), where a statement run on the DB while a
// transaction holds the connection fails after the busy timeout, the
// library's own paths run every statement of a unit on its transaction,
// and every statement of a read on the DB in turn: a unit that loads,
// nests a savepoint, takes a pair out, cascades and flushes; an eager load
// and Iter on the DB; a read in a read-only transaction. Any statement sent on the DB
// meanwhile would fail this test with ErrRetryable. (The same was checked
// once by running the SQLite tests of repo, relation, uow and model on one
// connection: only the tests that read the DB while their own transaction
// was open failed.)
func TestOneConnection(t *testing.T) {
	ctx := context.Background()
	raw, db := openSchoolOne(t, 2*time.Second, uow.FollowManyToMany(school.StudentCourses))
	err := uow.Run(ctx, db, func(u *uow.Unit) error {
		if _, err := uow.Get(ctx, u, school.Grades.Table, int64(1)); err != nil {
			return err
		}
		s, err := uow.Find(ctx, u, repo.New(db, school.Students.Table).Load(school.StudentCourses).Where(school.Students.ID.Eq(1)))
		if err != nil {
			return err
		}
		if err := u.Nested(ctx, func(u *uow.Unit) error {
			return uow.Add(u, school.Courses.Table, &school.Course{})
		}); err != nil {
			return err
		}
		s[0].Courses = slices.DeleteFunc(s[0].Courses, func(c *school.Course) bool { return c.ID == 1 })
		return u.Flush(ctx)
	})
	if err != nil {
		t.Fatalf("unit: %v", err)
	}
	// The enrollment taken out and its grade are gone; the course added
	// in the savepoint stays.
	if got, want := school.Counts(t, raw), [4]int64{2, 3, 2, 1}; got != want {
		t.Fatalf("students, courses, enrollments, grades: %v, want %v", got, want)
	}

	students, err := repo.New(db, school.Students.Table).Load(school.StudentCourses).OrderBy(school.Students.ID.Asc()).All(ctx)
	if err != nil {
		t.Fatalf("eager load: %v", err)
	}
	if len(students) != 2 || len(students[0].Courses) != 1 || len(students[1].Courses) != 1 {
		t.Fatalf("eager load: %d students, courses %v", len(students), students)
	}
	n := 0
	for _, err := range repo.New(db, school.Enrollments.Table).Query().Iter(ctx) {
		if err != nil {
			t.Fatalf("Iter: %v", err)
		}
		n++
	}
	if n != 2 {
		t.Fatalf("Iter: %d enrollments, want 2", n)
	}
	tx, err := db.Begin(ctx, dialect.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	grades, err := repo.New(tx, school.Grades.Table).Query().All(ctx)
	if err != nil || len(grades) != 1 {
		t.Fatalf("read-only transaction: %d grades, %v; want 1", len(grades), err)
	}
}

// openSchoolOne opens a SQLite database of one connection that waits wait
// for it, closed when the test ends, with the school tables made and
// seeded; it returns the database and the cascading model bound to it.
func openSchoolOne(t *testing.T, wait time.Duration, follow ...model.Part) (*sqlite.DB, dialect.DB) {
	t.Helper()
	ctx := context.Background()
	raw, err := sqlite.OpenConfig(ctx, sqlite.Config{Path: sqlite.Memory, OneConnection: true, BusyTimeout: wait})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = raw.Close() })
	cascading, _ := school.Models(follow...)
	school.Reset(ctx, t, raw, cascading)
	return raw, cascading.Bind(raw)
}
