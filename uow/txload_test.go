package uow_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// Rows loaded through the unit's transaction (u.Tx()), by a relation's
// Fetch or Load or by a repository made on it, are the unit's rows: one
// *T per key, the one the unit already holds when it holds one. Appending
// to a collection fetched that way inserts only the new row.
func TestLoadsThroughTxAreTheUnits(t *testing.T) {
	t.Parallel()
	graph(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		b := newBand("Low", 2, 1)
		if err := uow.Run(ctx, db, func(u *uow.Unit) error { return uow.Add(u, bands.Table, b) }); err != nil {
			t.Fatal(err)
		}
		first := b.Records[0].ID
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			held, err := uow.Get(ctx, u, records.Table, first)
			if err != nil {
				return err
			}
			held.Title = "renamed in the unit"
			band, err := uow.Get(ctx, u, bands.Table, b.ID)
			if err != nil {
				return err
			}
			recs, err := bandRecords.Fetch(ctx, u.Tx(), band)
			if err != nil {
				return err
			}
			if len(recs) != 2 {
				return fmt.Errorf("fetched %d records, want 2", len(recs))
			}
			var found bool
			for _, r := range recs {
				found = found || r == held
			}
			if !found {
				return fmt.Errorf("the fetched records do not hold the unit's own record %d", first)
			}
			again, err := repo.New(u.Tx(), records.Table).Get(ctx, first)
			if err != nil {
				return err
			}
			if again != held || again.Title != "renamed in the unit" {
				return fmt.Errorf("a repository on u.Tx() returned another row for key %d: %+v", first, again)
			}
			all, err := repo.New(u.Tx(), records.Table).Query().All(ctx)
			if err != nil {
				return err
			}
			for _, r := range all {
				if r.ID == first && r != held {
					return fmt.Errorf("a query on u.Tx() returned another row for key %d", first)
				}
			}
			// A many-to-one load through u.Tx() gives the tunes the unit's
			// own record.
			ts, err := repo.New(u.Tx(), tunes.Table).Query().All(ctx)
			if err != nil {
				return err
			}
			if err := tuneRecord.Load(ctx, u.Tx(), ts); err != nil {
				return err
			}
			for _, tn := range ts {
				if tn.RecordID == first && tn.Record != held {
					return fmt.Errorf("tune %d's record, loaded through u.Tx(), is not the unit's record %d", tn.ID, first)
				}
			}
			band.Records = append(band.Records, &record{Title: "third"})
			rec.reset()
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := writeOps(rec); got != "UPDATE record,INSERT record" && got != "INSERT record,UPDATE record" {
			t.Errorf("flush wrote %s, want the rename and the new record only", got)
		}
		if n := count(t, db, records.Table); n != 3 {
			t.Errorf("records stored: %d, want 3", n)
		}
		if got := stored(t, db, records.Table, first).Title; got != "renamed in the unit" {
			t.Errorf("record %d stored as %q, want the unit's rename", first, got)
		}
	})
}
