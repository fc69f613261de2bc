package uow_test

import (
	"context"
	"slices"
	"testing"

	"github.com/genrepo/genrepo/dialect"
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
