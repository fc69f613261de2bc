package model_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

type r2Shelf struct {
	Site int64
	No   int64
	Code string
}

type r2ShelfTable struct {
	*mapped.Table[r2Shelf]
	Site mapped.Column[r2Shelf, int64]
	No   mapped.Column[r2Shelf, int64]
	Code mapped.Column[r2Shelf, string]
}

type r2Book struct {
	ID        int64
	ShelfCode string
}

type r2BookTable struct {
	*mapped.Table[r2Book]
	ID        mapped.Column[r2Book, int64]
	ShelfCode mapped.Column[r2Book, string]
}

var r2Shelves = mapped.Define("r2_shelf", func(t *mapped.Table[r2Shelf], s *r2Shelf) r2ShelfTable {
	return r2ShelfTable{Site: mapped.PrimaryKey(t, &s.Site), No: mapped.PrimaryKey(t, &s.No),
		Code: mapped.Col(t, &s.Code, mapped.Unique())}
})

var r2Books = mapped.Define("r2_book", func(t *mapped.Table[r2Book], b *r2Book) r2BookTable {
	return r2BookTable{ID: mapped.PrimaryKey(t, &b.ID), ShelfCode: mapped.ForeignKey(t, &b.ShelfCode, r2Shelves.Code)}
})

var r2ShelfBooks = relation.HasMany(r2Books.ShelfCode, func(*r2Shelf) *[]*r2Book { return new([]*r2Book) })

// TestReview2CascadeManyCompositeKeyParents: DeleteWhere of n shelves,
// whose key is composite, with a cascade over a foreign key referencing
// their unique code. The cascade now re-reads the stored shelves with one
// SELECT whose WHERE is an OR of one AND per row: on SQLite an expression
// tree one level deeper per row (refused over depth 1000, so at about a
// thousand rows), and two parameters a row (PostgreSQL's 65535 at 32,768
// rows). The rows were just read by DeleteWhere itself.
func TestReview2CascadeManyCompositeKeyParents(t *testing.T) {
	m := model.MustNew(model.Tables(r2Shelves, r2Books), model.OnDelete(r2ShelfBooks, mapped.Cascade))
	for _, n := range []int{1500, 40000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, raw dialect.DB) {
				ctx := context.Background()
				db := m.Bind(raw)
				if err := m.CreateAll(ctx, db); err != nil {
					t.Fatal(err)
				}
				shelves := make([]*r2Shelf, n)
				for i := range shelves {
					shelves[i] = &r2Shelf{Site: 1, No: int64(i), Code: fmt.Sprint("s", i)}
				}
				if err := repo.New(db, r2Shelves.Table).InsertMany(ctx, shelves); err != nil {
					t.Fatal(err)
				}
				if err := repo.New(db, r2Books.Table).Insert(ctx, &r2Book{ShelfCode: "s1"}); err != nil {
					t.Fatal(err)
				}
				got, err := repo.New(db, r2Shelves.Table).DeleteWhere(ctx, query.AllRows[r2Shelf]())
				if err != nil || got != int64(n) {
					t.Errorf("DeleteWhere(AllRows) of %d shelves: %d, %v", n, got, err)
				}
			})
		})
	}
}

// ---- a row that is its own parent, in a table with a composite key ----
