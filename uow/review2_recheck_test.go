package uow_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

type r2Bin struct {
	ID    int64
	Slots []*r2Slot
}

type r2BinTable struct {
	*mapped.Table[r2Bin]
	ID mapped.Column[r2Bin, int64]
}

type r2Slot struct {
	BinID int64
	No    int64
}

type r2SlotTable struct {
	*mapped.Table[r2Slot]
	BinID mapped.Column[r2Slot, int64]
	No    mapped.Column[r2Slot, int64]
}

var r2Bins = mapped.Define("r2_bin", func(t *mapped.Table[r2Bin], b *r2Bin) r2BinTable {
	return r2BinTable{ID: mapped.PrimaryKey(t, &b.ID)}
})

var r2Slots = mapped.Define("r2_slot", func(t *mapped.Table[r2Slot], s *r2Slot) r2SlotTable {
	return r2SlotTable{
		BinID: mapped.ForeignKey(t, &s.BinID, r2Bins.ID, mapped.InPrimaryKey()),
		No:    mapped.PrimaryKey(t, &s.No),
	}
})

var r2BinSlots = relation.HasMany(r2Slots.BinID, func(b *r2Bin) *[]*r2Slot { return &b.Slots })

// TestReview2RecheckManyCompositeKeyRows: a unit holds n rows of a table
// with a composite primary key that a cascade reaches, and deletes an
// unrelated parent. The recheck after the cascade reads the live rows back
// with one SELECT whose WHERE is an OR of one AND per row: two parameters
// a row (over SQLite's 32766 at 16,384 rows, PostgreSQL's 65535 at 32,768)
// and, on SQLite, an expression tree one level deeper per row (SQLite
// refuses a depth over 1000). The flush fails though nothing is wrong.
func TestReview2RecheckManyCompositeKeyRows(t *testing.T) {
	m := model.MustNew(model.Tables(r2Bins, r2Slots), model.OnDelete(r2BinSlots, mapped.Cascade))
	for _, n := range []int{1500, 40000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, raw dialect.DB) {
				ctx := context.Background()
				db := m.Bind(raw)
				if err := m.CreateAll(ctx, db); err != nil {
					t.Fatal(err)
				}
				bins := repo.New(db, r2Bins.Table)
				keep, gone := &r2Bin{}, &r2Bin{}
				if err := bins.InsertMany(ctx, []*r2Bin{keep, gone}); err != nil {
					t.Fatal(err)
				}
				slots := make([]*r2Slot, n)
				for i := range slots {
					slots[i] = &r2Slot{BinID: keep.ID, No: int64(i)}
				}
				if err := repo.New(db, r2Slots.Table).InsertMany(ctx, slots); err != nil {
					t.Fatal(err)
				}
				u, err := uow.Begin(ctx, db)
				if err != nil {
					t.Fatal(err)
				}
				defer u.Rollback(ctx)
				got, err := uow.Find(ctx, u, repo.New(db, r2Slots.Table).Query())
				if err != nil || len(got) != n {
					t.Fatalf("Find: %d rows, %v", len(got), err)
				}
				g, err := uow.Get(ctx, u, r2Bins.Table, gone.ID)
				if err != nil {
					t.Fatal(err)
				}
				if err := uow.Delete(u, r2Bins.Table, g); err != nil {
					t.Fatal(err)
				}
				if err := u.Flush(ctx); err != nil {
					t.Errorf("flush deleting a bin with no slots while the unit holds %d slots: %v", n, err)
				}
			})
		})
	}
}
