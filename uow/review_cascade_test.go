package uow_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/fixtures/school"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// Tests of an adversarial review of delete cascades, as a unit of work
// runs them.

// rcNode references its own table by a nullable parent, whose delete
// cascades to its children.
type rcNode struct {
	ID       int64
	ParentID *int64
	Name     string
}

type rcNodeTable struct {
	*mapped.Table[rcNode]
	ID       mapped.Column[rcNode, int64]
	ParentID mapped.NullableColumn[rcNode, int64]
	Name     mapped.Column[rcNode, string]
}

var rcNodes = mapped.Define("rc_node", func(t *mapped.Table[rcNode], n *rcNode) rcNodeTable {
	tb := rcNodeTable{ID: mapped.PrimaryKey(t, &n.ID, mapped.Manual()), Name: mapped.Col(t, &n.Name)}
	tb.ParentID = mapped.NullableForeignKey(t, &n.ParentID, tb.ID)
	return tb
})

var rcNodeKids = relation.HasManyNullable(rcNodes.ParentID, func(*rcNode) *[]*rcNode { return new([]*rcNode) })

// TestReviewUnitDeletesRowsOfACycle: x's parent is z, z's is y and y's is
// x; a unit deletes x and y. y, which no other row to delete references,
// goes first, and its cascade reaches z, then x, a row the unit deletes
// too but after y: the cascade ran for y alone, so it deleted x, and the
// unit's own DELETE of x then found no row and failed the unit, where
// DeleteWhere of x and y deletes the three rows, as the database's ON
// DELETE CASCADE does. The unit's cascades now know every row it deletes
// from the table: x is pointed away from z, deleted with y's cascade, and
// goes by the unit's DELETE.
func TestReviewUnitDeletesRowsOfACycle(t *testing.T) {
	m := model.MustNew(model.Tables(rcNodes), model.OnDelete(rcNodeKids, mapped.Cascade))
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		db := m.Bind(raw)
		for _, ddl := range []string{"model", "mapped"} {
			if err := m.DropAll(ctx, raw); err != nil {
				t.Fatal(err)
			}
			var err error
			if ddl == "mapped" {
				err = mapped.CreateAll(ctx, raw, rcNodes)
			} else {
				err = m.CreateAll(ctx, raw)
			}
			if err != nil {
				t.Fatal(err)
			}
			nodes := repo.New(raw, rcNodes.Table)
			x, y, z, w := &rcNode{ID: 1, Name: "x"}, &rcNode{ID: 2, Name: "y"}, &rcNode{ID: 3, Name: "z"}, &rcNode{ID: 4, Name: "w"}
			if err := nodes.InsertMany(ctx, []*rcNode{x, y, z, w}); err != nil {
				t.Fatal(err)
			}
			x.ParentID, z.ParentID, y.ParentID = &z.ID, &y.ID, &x.ID
			for _, n := range []*rcNode{x, y, z} {
				if err := nodes.Update(ctx, n); err != nil {
					t.Fatal(err)
				}
			}
			err = uow.Run(ctx, db, func(u *uow.Unit) error {
				for _, id := range []int64{x.ID, y.ID} {
					n, err := uow.Get(ctx, u, rcNodes.Table, id)
					if err != nil {
						return err
					}
					if err := uow.Delete(u, rcNodes.Table, n); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Errorf("%s DDL: unit deleting x and y: %v", ddl, err)
			}
			all, err := nodes.OrderBy(rcNodes.ID.Asc()).All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var left []string
			for _, n := range all {
				left = append(left, n.Name)
			}
			if !slices.Equal(left, []string{"w"}) {
				t.Errorf("%s DDL: left %v, want [w]", ddl, left)
			}
			if _, err := nodes.DeleteWhere(ctx, rcNodes.ID.Eq(w.ID)); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// rcFilm and rcActor are related through rcCredit, an association row
// with a column of its own (the role), which a unit may load as a row.
type rcFilm struct {
	ID     int64
	Actors []*rcActor
}

type rcFilmTable struct {
	*mapped.Table[rcFilm]
	ID mapped.Column[rcFilm, int64]
}

type rcActor struct{ ID int64 }

type rcActorTable struct {
	*mapped.Table[rcActor]
	ID mapped.Column[rcActor, int64]
}

type rcCredit struct {
	FilmID, ActorID int64
	Role            string
}

type rcCreditTable struct {
	*mapped.Table[rcCredit]
	FilmID, ActorID mapped.Column[rcCredit, int64]
	Role            mapped.Column[rcCredit, string]
}

var rcFilms = mapped.Define("rc_film", func(t *mapped.Table[rcFilm], f *rcFilm) rcFilmTable {
	return rcFilmTable{ID: mapped.PrimaryKey(t, &f.ID)}
})

var rcActors = mapped.Define("rc_actor", func(t *mapped.Table[rcActor], a *rcActor) rcActorTable {
	return rcActorTable{ID: mapped.PrimaryKey(t, &a.ID)}
})

var rcCredits = mapped.Define("rc_credit", func(t *mapped.Table[rcCredit], c *rcCredit) rcCreditTable {
	return rcCreditTable{FilmID: mapped.ForeignKey(t, &c.FilmID, rcFilms.ID, mapped.InPrimaryKey()),
		ActorID: mapped.ForeignKey(t, &c.ActorID, rcActors.ID, mapped.InPrimaryKey()),
		Role:    mapped.Col(t, &c.Role)}
})

var rcCast = relation.ManyToManyThrough(rcCredits.FilmID, rcCredits.ActorID, func(f *rcFilm) *[]*rcActor { return &f.Actors })

// TestReviewUnitForgetsLinkRowsDeleted: a unit holds a credit, an
// association row of film and actor, and deletes the film (or the actor):
// the model's Links deletes the film's credits. The unit's read-back of
// the rows cascades deleted skipped the association table, whose foreign
// keys declare no ON DELETE: after the flush the unit still handed out the
// deleted credit, and a change to it failed the next flush.
func TestReviewUnitForgetsLinkRowsDeleted(t *testing.T) {
	m := model.MustNew(model.Tables(rcFilms, rcActors, rcCredits), model.Links(rcCast))
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		db := m.Bind(raw)
		if err := m.CreateAll(ctx, db); err != nil {
			t.Fatal(err)
		}
		for _, side := range []string{"film", "actor"} {
			film, actor := &rcFilm{}, &rcActor{}
			if err := repo.New(db, rcFilms.Table).Insert(ctx, film); err != nil {
				t.Fatal(err)
			}
			if err := repo.New(db, rcActors.Table).Insert(ctx, actor); err != nil {
				t.Fatal(err)
			}
			if err := repo.New(db, rcCredits.Table).Insert(ctx, &rcCredit{FilmID: film.ID, ActorID: actor.ID, Role: "lead"}); err != nil {
				t.Fatal(err)
			}
			err := uow.Run(ctx, db, func(u *uow.Unit) error {
				c, err := uow.Get(ctx, u, rcCredits.Table, film.ID, actor.ID)
				if err != nil {
					return err
				}
				if side == "film" {
					f, err := uow.Get(ctx, u, rcFilms.Table, film.ID)
					if err != nil {
						return err
					}
					if err := uow.Delete(u, rcFilms.Table, f); err != nil {
						return err
					}
				} else {
					a, err := uow.Get(ctx, u, rcActors.Table, actor.ID)
					if err != nil {
						return err
					}
					if err := uow.Delete(u, rcActors.Table, a); err != nil {
						return err
					}
				}
				if err := u.Flush(ctx); err != nil {
					return err
				}
				if got, err := uow.Get(ctx, u, rcCredits.Table, film.ID, actor.ID); !errors.Is(err, repo.ErrNotFound) {
					t.Errorf("deleting the %s: Get of its deleted credit after the flush: %+v, %v; want ErrNotFound", side, got, err)
				}
				c.Role = "cut"
				return nil
			})
			if err != nil {
				t.Errorf("deleting the %s: %v", side, err)
			}
			if n, err := repo.New(db, rcCredits.Table).Count(ctx); err != nil || n != 0 {
				t.Errorf("deleting the %s: %d credits left, %v; want none", side, n, err)
			}
		}
	})
}

// Students and courses, related through enrollments, the association
// rows, which grades reference: internal/fixtures/school.

// TestReviewUnitDroppedPairsRunTheAssociationRowsRules: a unit takes a
// course out of a student's loaded courses: the flush deletes their
// enrollment, which a grade the unit holds references; the model cascades
// an enrollment's delete to its grades, or restricts it. The flush
// deleted the enrollment with a plain DELETE, which ran none of its
// rules: the database decided instead, refusing on tables without ON
// DELETE what the cascading model deletes, and, on tables whose ON DELETE
// CASCADE another model over them wrote, deleting the grade the
// restricting model protects; and the unit, which reads back what
// cascades changed only after a flush that deleted rows, still handed
// out the deleted grade. The flush now runs the association rows' rules
// first, and reads back after it took pairs out.
func TestReviewUnitDroppedPairsRunTheAssociationRowsRules(t *testing.T) {
	cascading, restricting := school.Models(uow.FollowManyToMany(school.StudentCourses))
	models := map[string]*model.Model{"cascading": cascading, "restricting": restricting}
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		for _, ddl := range []string{"mapped", "cascading", "restricting"} {
			for _, name := range []string{"cascading", "restricting"} {
				what := fmt.Sprintf("%s model on %s DDL", name, ddl)
				school.Reset(ctx, t, raw, models[ddl]) // models["mapped"] is nil: the tables' own DDL
				db := models[name].Bind(raw)
				err := uow.Run(ctx, db, func(u *uow.Unit) error {
					if _, err := uow.Get(ctx, u, school.Grades.Table, int64(1)); err != nil {
						return err
					}
					s, err := uow.Find(ctx, u, repo.New(db, school.Students.Table).Load(school.StudentCourses).Where(school.Students.ID.Eq(1)))
					if err != nil {
						return err
					}
					s[0].Courses = slices.DeleteFunc(s[0].Courses, func(c *school.Course) bool { return c.ID == 1 })
					if err := u.Flush(ctx); err != nil {
						return err
					}
					if g, err := uow.Get(ctx, u, school.Grades.Table, int64(1)); !errors.Is(err, repo.ErrNotFound) {
						t.Errorf("%s: Get of the grade the flush deleted: %+v, %v; want ErrNotFound", what, g, err)
					}
					return nil
				})
				want := [4]int64{2, 2, 2, 1} // students, courses, enrollments, grades
				if name == "restricting" {
					if !errors.Is(err, model.ErrRestricted) {
						t.Errorf("%s: flush taking a graded course out: %v, want ErrRestricted", what, err)
					}
					want = [4]int64{2, 2, 3, 2}
				} else if err != nil {
					t.Errorf("%s: flush taking a graded course out: %v", what, err)
				}
				if got := school.Counts(t, raw); got != want {
					t.Errorf("%s: students, courses, enrollments, grades: %v, want %v", what, got, want)
				}
			}
		}
	})
}
