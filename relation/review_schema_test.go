package relation_test

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

type rvSrc struct {
	ID    int64
	Name  string
	Dests []*rvDst
}

type rvSrcTable struct {
	*mapped.Table[rvSrc]
	ID   mapped.Column[rvSrc, int64]
	Name mapped.Column[rvSrc, string]
}

type rvDst struct {
	ID    int64
	SrcID int64
	Label string
	Src   *rvSrc
}

type rvDstTable struct {
	*mapped.Table[rvDst]
	ID    mapped.Column[rvDst, int64]
	SrcID mapped.Column[rvDst, int64]
	Label mapped.Column[rvDst, string]
}

// TestReviewSameNameTablesInTwoSchemas: the model accepts two tables
// named "items" in two schemas (they are told apart by FullName). A
// one-to-many's Any aliases the subquery's table because the names are
// equal (fanout.exists compares TableName), but a many-to-one's Has
// decides by Info (belongs.exists), so its EXISTS subquery reads
// FROM "b"."items" WHERE "items"."id" = "items"."src_id": both sides
// resolve to the inner table, and the query fails (or, with a column of
// that name on the inner table, silently compares the wrong rows).
// SQLite has no schemas: nothing to check there.
func TestReviewSameNameTablesInTwoSchemas(t *testing.T) {
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		if !raw.Dialect().Features().Schemas {
			return
		}
		ctx := context.Background()
		base := testdb.Scalar[string](t, raw, "SELECT current_schema()")
		sa, sb := base+"_a", base+"_b"
		t.Cleanup(func() {
			for _, s := range []string{sa, sb} {
				_, _ = raw.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+dialect.Quote(s)+" CASCADE")
			}
		})
		srcs := mapped.Define("items", func(t *mapped.Table[rvSrc], s *rvSrc) rvSrcTable {
			t.InSchema(sa)
			return rvSrcTable{ID: mapped.PrimaryKey(t, &s.ID), Name: mapped.Col(t, &s.Name)}
		})
		dsts := mapped.Define("items", func(t *mapped.Table[rvDst], d *rvDst) rvDstTable {
			t.InSchema(sb)
			return rvDstTable{ID: mapped.PrimaryKey(t, &d.ID), SrcID: mapped.ForeignKey(t, &d.SrcID, srcs.ID),
				Label: mapped.Col(t, &d.Label)}
		})
		srcDsts := relation.HasMany(dsts.SrcID, func(s *rvSrc) *[]*rvDst { return &s.Dests }).
			Back(func(d *rvDst) **rvSrc { return &d.Src })
		dstSrc := srcDsts.Inverse()
		m, err := model.New(model.Tables(srcs, dsts))
		if err != nil {
			t.Fatalf("model.New: %v", err)
		}
		db := m.Bind(raw)
		if err := m.CreateAll(ctx, db); err != nil {
			t.Fatal(err)
		}
		a, b := &rvSrc{Name: "a"}, &rvSrc{Name: "b"}
		for _, s := range []*rvSrc{a, b} {
			if err := repo.New(db, srcs.Table).Insert(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		if err := repo.New(db, dsts.Table).InsertMany(ctx, []*rvDst{{SrcID: a.ID, Label: "of a"}, {SrcID: b.ID, Label: "of b"}}); err != nil {
			t.Fatal(err)
		}

		// One-to-many Any: aliased, works.
		got, err := repo.New(db, srcs.Table).Where(srcDsts.Any(dsts.Label.Eq("of a"))).All(ctx)
		if err != nil || len(got) != 1 || got[0].Name != "a" {
			t.Errorf("Any: got %d rows, %v; want source a", len(got), err)
		}
		// Many-to-one Has: not aliased.
		gotD, err := repo.New(db, dsts.Table).Where(dstSrc.Has(srcs.Name.Eq("a"))).All(ctx)
		if err != nil {
			t.Fatalf("Has: %v", err)
		}
		if len(gotD) != 1 || gotD[0].Label != "of a" {
			t.Errorf("Has: got %d rows, want the one of a", len(gotD))
		}
	})
}
