package relation_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/integration"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

type njParent struct {
	ID       int64
	Name     string
	Children []*njChild
}

type njChild struct {
	ID       int64
	Title    string
	ParentID int64
}

var (
	njParents = mapped.Define("nj_parent", func(t *mapped.Table[njParent], p *njParent) struct {
		*mapped.Table[njParent]
		ID   mapped.Column[njParent, int64]
		Name mapped.TextColumn[njParent, string]
	} {
		return struct {
			*mapped.Table[njParent]
			ID   mapped.Column[njParent, int64]
			Name mapped.TextColumn[njParent, string]
		}{t, mapped.PrimaryKey(t, "id", &p.ID), mapped.Text(t, "name", &p.Name)}
	})
	njChildren = mapped.Define("nj_child", func(t *mapped.Table[njChild], c *njChild) struct {
		*mapped.Table[njChild]
		Title    mapped.TextColumn[njChild, string]
		ParentID mapped.Column[njChild, int64]
	} {
		mapped.PrimaryKey(t, "id", &c.ID)
		return struct {
			*mapped.Table[njChild]
			Title    mapped.TextColumn[njChild, string]
			ParentID mapped.Column[njChild, int64]
		}{t, mapped.Text(t, "title", &c.Title), mapped.ForeignKey(t, "parent_id", &c.ParentID, njParents.ID)}
	})
	njParentChildren = relation.HasMany(njParents.ID, njChildren.ParentID, func(p *njParent) *[]*njChild { return &p.Children })
)

// TestLeftJoinNullable selects a joined table's column through
// query.Nullable, so parents without children come back with NULL.
func TestLeftJoinNullable(t *testing.T) {
	integration.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		if err := mapped.CreateAll(ctx, db, njParents.Table, njChildren.Table); err != nil {
			t.Fatal(err)
		}
		a, b := &njParent{Name: "a"}, &njParent{Name: "b"}
		if err := repo.New(db, njParents.Table).InsertMany(ctx, []*njParent{a, b}); err != nil {
			t.Fatal(err)
		}
		if err := repo.New(db, njChildren.Table).Insert(ctx, &njChild{Title: "a1", ParentID: a.ID}); err != nil {
			t.Fatal(err)
		}
		rows, err := query.Select2(njParents.Name, query.Nullable(njChildren.Title)).
			LeftJoin(njParentChildren).OrderBy(njParents.Name.Asc()).All(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		want := []query.Row2[string, sql.Null[string]]{
			{V1: "a", V2: sql.Null[string]{V: "a1", Valid: true}},
			{V1: "b"},
		}
		if len(rows) != len(want) || rows[0] != want[0] || rows[1] != want[1] {
			t.Errorf("left join = %+v, want %+v", rows, want)
		}
		inner, err := query.Select2(njParents.Name, njChildren.Title).Join(njParentChildren).All(ctx, db)
		if err != nil || len(inner) != 1 || inner[0].V2 != "a1" {
			t.Errorf("inner join = %+v, %v; want one row with a1", inner, err)
		}
	})
}
