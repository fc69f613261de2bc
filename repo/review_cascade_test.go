package repo_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/fixtures/school"
	"github.com/genrepo/genrepo/internal/golden"
	"github.com/genrepo/genrepo/internal/testdb"
	genmodel "github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/repo"
)

// Tests of an adversarial review of delete cascades, as the repository
// runs them.

// Students and courses, related through enrollments, the association
// rows, which grades reference: internal/fixtures/school.

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
	cascading, restricting := school.Models()
	models := map[string]*genmodel.Model{"cascading": cascading, "restricting": restricting}
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		for _, ddl := range []string{"mapped", "cascading", "restricting"} {
			for _, name := range []string{"cascading", "restricting"} {
				what := fmt.Sprintf("%s model on %s DDL", name, ddl)
				school.Reset(ctx, t, raw, models[ddl]) // models["mapped"] is nil: the tables' own DDL
				err := repo.Unlink(ctx, models[name].Bind(raw), school.StudentCourses, &school.Student{ID: 1}, &school.Course{ID: 1})
				want := [4]int64{2, 2, 2, 1} // students, courses, enrollments, grades
				if name == "restricting" {
					if !errors.Is(err, genmodel.ErrRestricted) {
						t.Errorf("%s: Unlink of a graded enrollment: %v, want ErrRestricted", what, err)
					}
					want = [4]int64{2, 2, 3, 2}
				} else if err != nil {
					t.Errorf("%s: Unlink of a graded enrollment: %v", what, err)
				}
				if got := school.Counts(t, raw); got != want {
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
	cascading, _ := school.Models()
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		if err := cascading.CreateAll(ctx, raw); err != nil {
			t.Fatal(err)
		}
		if err := school.Seed(ctx, raw); err != nil {
			t.Fatal(err)
		}
		rdb, rec := golden.Record(raw)
		rec.Reset()
		if err := repo.Unlink(ctx, cascading.Bind(rdb), school.StudentCourses, &school.Student{ID: 1}, &school.Course{ID: 1}); err != nil {
			t.Errorf("Unlink: %v", err)
		}
		rec.Check(t, "unlink_association_rules", raw.Dialect().Name())
	})
}
