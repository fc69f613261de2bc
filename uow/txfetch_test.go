package uow_test

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// A collection fetched through u.Tx() is the unit's (doc.go: "rows they
// load become the unit's ... as Find's do"): taking a child out of it must
// delete the orphan of a relation the model gives DeleteOrphans, as it
// does when the same collection is loaded by Find with Load.
func TestReviewTxFetchedCollectionOrphan(t *testing.T) {
	t.Parallel()
	graph(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		b := newBand("Low", 1, 2)
		if err := uow.Run(ctx, db, func(u *uow.Unit) error { return uow.Add(u, bands.Table, b) }); err != nil {
			t.Fatal(err)
		}
		r := b.Records[0]
		gone := r.Tunes[0].ID
		rec.reset()
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			held, err := uow.Get(ctx, u, records.Table, r.ID)
			if err != nil {
				return err
			}
			ts, err := recordTunes.Fetch(ctx, u.Tx(), held)
			if err != nil {
				return err
			}
			if len(ts) != 2 {
				t.Fatalf("fetched %d tunes, want 2", len(ts))
			}
			held.Tunes = held.Tunes[1:]
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := repo.New(db, tunes.Table).Get(ctx, gone); err == nil {
			t.Errorf("tune %d taken out of a DeleteOrphans collection fetched through u.Tx() is still stored; want it deleted (writes: %q)", gone, writeOps(rec))
		}
	})
}
