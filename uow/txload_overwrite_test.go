package uow_test

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// A query with Load run on u.Tx() returns the unit's own row for a key the
// unit holds; like Find, it must leave that row's loaded collection as the
// unit holds it (Find: "a row the unit already holds keeps its own
// relations where they were loaded"). Instead the loader overwrites the
// collection with the stored children, and a child appended to it before
// is silently never inserted: Run returns nil.
func TestReviewTxLoadOverwritesHeldCollection(t *testing.T) {
	t.Parallel()
	graph(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		b := newBand("Low", 1, 1)
		if err := uow.Run(ctx, db, func(u *uow.Unit) error { return uow.Add(u, bands.Table, b) }); err != nil {
			t.Fatal(err)
		}
		id := b.Records[0].ID
		rec.reset()
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			rs, err := uow.Find(ctx, u, repo.New(db, records.Table).Load(recordTunes).Where(records.ID.Eq(id)))
			if err != nil {
				return err
			}
			held := rs[0]
			held.Tunes = append(held.Tunes, &tune{Title: "appended in the unit"})
			again, err := repo.New(u.Tx(), records.Table).Load(recordTunes).Where(records.ID.Eq(id)).One(ctx)
			if err != nil {
				return err
			}
			if again != held {
				t.Errorf("u.Tx() query returned another *record for key %d", id)
			}
			if len(held.Tunes) != 2 {
				t.Errorf("after a load through u.Tx(), the unit's record holds %d tunes, want the 2 it held (its appended tune dropped)", len(held.Tunes))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, tunes.Table); n != 2 {
			t.Errorf("Run returned nil but %d tunes are stored, want 2: the appended tune was never inserted (writes: %q)", n, writeOps(rec))
		}
	})
}
