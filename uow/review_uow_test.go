package uow_test

import (
	"context"
	"errors"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

type rvBin struct {
	ID    int64
	Slots []*rvSlot
}

type rvBinTable struct {
	*mapped.Table[rvBin]
	ID mapped.Column[rvBin, int64]
}

type rvSlot struct {
	BinID int64
	No    int64
	Label string
}

type rvSlotTable struct {
	*mapped.Table[rvSlot]
	BinID mapped.Column[rvSlot, int64]
	No    mapped.Column[rvSlot, int64]
	Label mapped.Column[rvSlot, string]
}

var rvBins = mapped.Define("rv_bin", func(t *mapped.Table[rvBin], b *rvBin) rvBinTable {
	return rvBinTable{ID: mapped.PrimaryKey(t, &b.ID)}
})

var rvSlots = mapped.Define("rv_slot", func(t *mapped.Table[rvSlot], s *rvSlot) rvSlotTable {
	return rvSlotTable{
		BinID: mapped.ForeignKey(t, &s.BinID, rvBins.ID, mapped.InPrimaryKey()),
		No:    mapped.PrimaryKey(t, &s.No),
		Label: mapped.Col(t, &s.Label),
	}
})

var rvBinSlots = relation.HasMany(rvSlots.BinID, func(b *rvBin) *[]*rvSlot { return &b.Slots })

// TestReviewCascadeForgetsCompositeKeyRows: a unit deletes a bin; the
// model's cascade deletes its slots, whose key is composite. The unit's
// recheck, which brings loaded rows in line with what cascades did, skips
// tables whose key is not a single column, so the unit still hands out
// the deleted slot, and a change to it makes the next flush fail.
func TestReviewCascadeForgetsCompositeKeyRows(t *testing.T) {
	m := model.MustNew(model.Tables(rvBins, rvSlots), model.OnDelete(rvBinSlots, mapped.Cascade))
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		db := m.Bind(raw)
		if err := m.CreateAll(ctx, db); err != nil {
			t.Fatal(err)
		}
		bin := &rvBin{}
		if err := repo.New(db, rvBins.Table).Insert(ctx, bin); err != nil {
			t.Fatal(err)
		}
		if err := repo.New(db, rvSlots.Table).Insert(ctx, &rvSlot{BinID: bin.ID, No: 1, Label: "x"}); err != nil {
			t.Fatal(err)
		}
		u, err := uow.Begin(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer u.Rollback(ctx)
		b, err := uow.Get(ctx, u, rvBins.Table, bin.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := uow.Get(ctx, u, rvSlots.Table, bin.ID, int64(1)); err != nil {
			t.Fatal(err)
		}
		if err := uow.Delete(u, rvBins.Table, b); err != nil {
			t.Fatal(err)
		}
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		s, err := uow.Get(ctx, u, rvSlots.Table, bin.ID, int64(1))
		if !errors.Is(err, repo.ErrNotFound) {
			t.Errorf("Get of a slot the cascade deleted: got %v, %v; want ErrNotFound", s, err)
		}
		if s != nil {
			s.Label = "y"
			if err := u.Flush(ctx); err != nil {
				t.Errorf("flush after changing the slot the unit still hands out: %v", err)
			}
		}
	})
}
