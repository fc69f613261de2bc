package repo_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/golden"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	genmodel "github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

// Tests of an adversarial review of delete cascades, as the repository
// runs them.

// Students and courses, related through enrollments, the association
// rows, which grades reference.

type rcStudent struct {
	ID      int64
	Courses []*rcCourse
}

type rcStudentTable struct {
	*mapped.Table[rcStudent]
	ID mapped.Column[rcStudent, int64]
}

type rcCourse struct{ ID int64 }

type rcCourseTable struct {
	*mapped.Table[rcCourse]
	ID mapped.Column[rcCourse, int64]
}

// rcEnrollment is an association row with a key of its own, which the
// grades given in the course reference.
type rcEnrollment struct {
	ID, StudentID, CourseID int64
}

type rcEnrollmentTable struct {
	*mapped.Table[rcEnrollment]
	ID, StudentID, CourseID mapped.Column[rcEnrollment, int64]
}

type rcGrade struct {
	ID, EnrollmentID int64
	Mark             string
}

type rcGradeTable struct {
	*mapped.Table[rcGrade]
	ID, EnrollmentID mapped.Column[rcGrade, int64]
	Mark             mapped.Column[rcGrade, string]
}

var rcStudents = mapped.Define("rc_student", func(t *mapped.Table[rcStudent], s *rcStudent) rcStudentTable {
	return rcStudentTable{ID: mapped.PrimaryKey(t, &s.ID)}
})

var rcCourses = mapped.Define("rc_course", func(t *mapped.Table[rcCourse], c *rcCourse) rcCourseTable {
	return rcCourseTable{ID: mapped.PrimaryKey(t, &c.ID)}
})

var rcEnrollments = mapped.Define("rc_enrollment", func(t *mapped.Table[rcEnrollment], e *rcEnrollment) rcEnrollmentTable {
	return rcEnrollmentTable{ID: mapped.PrimaryKey(t, &e.ID),
		StudentID: mapped.ForeignKey(t, &e.StudentID, rcStudents.ID),
		CourseID:  mapped.ForeignKey(t, &e.CourseID, rcCourses.ID)}
})

var rcGrades = mapped.Define("rc_grade", func(t *mapped.Table[rcGrade], g *rcGrade) rcGradeTable {
	return rcGradeTable{ID: mapped.PrimaryKey(t, &g.ID),
		EnrollmentID: mapped.ForeignKey(t, &g.EnrollmentID, rcEnrollments.ID),
		Mark:         mapped.Col(t, &g.Mark)}
})

var rcStudentCourses = relation.ManyToManyThrough(rcEnrollments.StudentID, rcEnrollments.CourseID,
	func(s *rcStudent) *[]*rcCourse { return &s.Courses })

var rcEnrollmentGrades = relation.HasMany(rcGrades.EnrollmentID, func(*rcEnrollment) *[]*rcGrade { return new([]*rcGrade) })

// rcSeedSchool inserts two students and two courses: student 1 takes
// courses 1 and 2, graded in 1; student 2 takes course 1, graded.
func rcSeedSchool(ctx context.Context, ex dialect.Executor) error {
	if err := repo.New(ex, rcStudents.Table).InsertMany(ctx, []*rcStudent{{}, {}}); err != nil {
		return err
	}
	if err := repo.New(ex, rcCourses.Table).InsertMany(ctx, []*rcCourse{{}, {}}); err != nil {
		return err
	}
	es := []*rcEnrollment{{StudentID: 1, CourseID: 1}, {StudentID: 1, CourseID: 2}, {StudentID: 2, CourseID: 1}}
	if err := repo.New(ex, rcEnrollments.Table).InsertMany(ctx, es); err != nil {
		return err
	}
	return repo.New(ex, rcGrades.Table).InsertMany(ctx, []*rcGrade{{EnrollmentID: es[0].ID, Mark: "A"}, {EnrollmentID: es[2].ID, Mark: "B"}})
}

// rcSchoolCounts counts the students, courses, enrollments and grades.
func rcSchoolCounts(t *testing.T, ex dialect.Executor) [4]int64 {
	t.Helper()
	var out [4]int64
	var err [4]error
	out[0], err[0] = repo.New(ex, rcStudents.Table).Count(context.Background())
	out[1], err[1] = repo.New(ex, rcCourses.Table).Count(context.Background())
	out[2], err[2] = repo.New(ex, rcEnrollments.Table).Count(context.Background())
	out[3], err[3] = repo.New(ex, rcGrades.Table).Count(context.Background())
	if e := errors.Join(err[:]...); e != nil {
		t.Fatal(e)
	}
	return out
}

// rcSchools returns a model that cascades an enrollment's delete to its
// grades and one that restricts it, both with Links, and units following
// the students' courses.
func rcSchools(follow ...genmodel.Part) (cascading, restricting *genmodel.Model) {
	parts := func(a mapped.Action) []genmodel.Part {
		return append([]genmodel.Part{genmodel.Tables(rcStudents, rcCourses, rcEnrollments, rcGrades),
			genmodel.Links(rcStudentCourses), genmodel.OnDelete(rcEnrollmentGrades, a)}, follow...)
	}
	return genmodel.MustNew(parts(mapped.Cascade)...), genmodel.MustNew(parts(mapped.Restrict)...)
}

// TestReviewUnlinkRunsTheAssociationRowsRules: Unlink of a student and a
// course deletes their enrollment, an association row that a grade
// references; the model cascades an enrollment's delete to its grades,
// or restricts it. Unlink deleted the enrollment with a plain DELETE,
// which ran none of its rules: the database decided instead, refusing on
// tables without ON DELETE what the cascading model deletes, and, on
// tables whose ON DELETE CASCADE another model over them wrote, deleting
// the grade the restricting model protects. Unlink now runs the
// association rows' rules first, in one transaction with the DELETE.
func TestReviewUnlinkRunsTheAssociationRowsRules(t *testing.T) {
	cascading, restricting := rcSchools()
	models := map[string]*genmodel.Model{"cascading": cascading, "restricting": restricting}
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		for _, ddl := range []string{"mapped", "cascading", "restricting"} {
			for _, name := range []string{"cascading", "restricting"} {
				what := fmt.Sprintf("%s model on %s DDL", name, ddl)
				if err := cascading.DropAll(ctx, raw); err != nil {
					t.Fatal(err)
				}
				var err error
				if ddl == "mapped" {
					err = mapped.CreateAll(ctx, raw, rcStudents, rcCourses, rcEnrollments, rcGrades)
				} else {
					err = models[ddl].CreateAll(ctx, raw)
				}
				if err != nil {
					t.Fatal(err)
				}
				if err := rcSeedSchool(ctx, raw); err != nil {
					t.Fatal(err)
				}
				err = repo.Unlink(ctx, models[name].Bind(raw), rcStudentCourses, &rcStudent{ID: 1}, &rcCourse{ID: 1})
				want := [4]int64{2, 2, 2, 1} // students, courses, enrollments, grades
				if name == "restricting" {
					if !errors.Is(err, genmodel.ErrRestricted) {
						t.Errorf("%s: Unlink of a graded enrollment: %v, want ErrRestricted", what, err)
					}
					want = [4]int64{2, 2, 3, 2}
				} else if err != nil {
					t.Errorf("%s: Unlink of a graded enrollment: %v", what, err)
				}
				if got := rcSchoolCounts(t, raw); got != want {
					t.Errorf("%s: students, courses, enrollments, grades: %v, want %v", what, got, want)
				}
			}
		}
	})
}

// TestGoldenUnlinkAssociationRules records the statements of an Unlink
// whose association row has rules (TestReviewUnlinkRunsTheAssociationRowsRules):
// the enrollment is read by the pair, its grades' cascade runs, then the
// DELETE, in one transaction.
func TestGoldenUnlinkAssociationRules(t *testing.T) {
	cascading, _ := rcSchools()
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		if err := cascading.CreateAll(ctx, raw); err != nil {
			t.Fatal(err)
		}
		if err := rcSeedSchool(ctx, raw); err != nil {
			t.Fatal(err)
		}
		rdb, rec := golden.Record(raw)
		rec.Reset()
		if err := repo.Unlink(ctx, cascading.Bind(rdb), rcStudentCourses, &rcStudent{ID: 1}, &rcCourse{ID: 1}); err != nil {
			t.Errorf("Unlink: %v", err)
		}
		rec.Check(t, "unlink_association_rules", raw.Dialect().Name())
	})
}
