package repo_test

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/repo"
)

// Upsert fills the row's key from the stored row, but not its version: on
// a conflict with a stored row at version 3, the row is left claiming
// version 1 (set by bindInsert, never read back), so the next Update of
// that very row is refused with ErrStale, "changed by another writer since
// read", though no one else wrote.
func TestUpsertVersionReadBack(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, vdocs.Table)
		r := repo.New(db, vdocs.Table)
		d := &vdoc{Title: "a", Body: "b"}
		insertAll(t, r, d)
		for range 2 {
			d.Title += "!"
			if err := r.Update(ctx, d); err != nil {
				t.Fatalf("Update: %v", err)
			}
		}
		u := &vdoc{ID: d.ID, Title: "upserted", Body: "upserted"}
		if err := r.Upsert(ctx, u); err != nil {
			t.Fatalf("Upsert: %v", err)
		}
		stored, err := r.Get(ctx, d.ID)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if u.Version != stored.Version {
			t.Errorf("version after Upsert: row says %d, stored row has %d", u.Version, stored.Version)
		}
		u.Title = "then updated"
		if err := r.Update(ctx, u); err != nil {
			t.Errorf("Update right after Upsert: %v", err)
		}
	})
}
