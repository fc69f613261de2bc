package uow_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// Loading the same key twice, by Get or by a query, yields the same *T,
// and a second Get costs no statement.
func TestIdentityMap(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		seed(t, db, artists.Table, &artist{Name: "Queen", Born: born}, &artist{Name: "M83", Born: born})
		u := begin(t, db)
		a, err := uow.Get(ctx, u, artists.Table, 1)
		if err != nil {
			t.Fatal(err)
		}
		a.Rating = 9 // a change the next loads must keep
		rec.reset()
		again, err := uow.Get(ctx, u, artists.Table, int32(1))
		if err != nil || again != a {
			t.Fatalf("second Get = %p, %v; want the first row %p", again, err, a)
		}
		if got := rec.statements(); len(got) != 0 {
			t.Errorf("second Get ran %q, want no statement", got)
		}
		all, err := uow.Find(ctx, u, repo.New(db, artists.Table).OrderBy(artists.ID.Asc()))
		if err != nil || len(all) != 2 {
			t.Fatalf("Find = %d rows, %v; want 2", len(all), err)
		}
		if all[0] != a || all[0].Rating != 9 {
			t.Errorf("Find's first row = %p (rating %d), want the loaded row %p with rating 9", all[0], all[0].Rating, a)
		}
		second, err := uow.Get(ctx, u, artists.Table, 2)
		if err != nil || second != all[1] {
			t.Errorf("Get of a row found by a query = %p, %v; want %p", second, err, all[1])
		}
		// Repositories on the unit's transaction see its rows.
		if err := repo.New(u.Tx(), artists.Table).Insert(ctx, &artist{Name: "Air", Born: born}); err != nil {
			t.Fatal(err)
		}
		if air, err := uow.Get(ctx, u, artists.Table, 3); err != nil || air.Name != "Air" {
			t.Errorf("Get of a row inserted on u.Tx() = %v, %v; want Air", air, err)
		}
		if _, err := uow.Get(ctx, u, artists.Table, 99); !errors.Is(err, repo.ErrNotFound) {
			t.Errorf("Get of a missing key = %v, want ErrNotFound", err)
		}
		if err := u.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if got := stored(t, db, artists.Table, 1).Rating; got != 9 {
			t.Errorf("committed rating = %d, want 9", got)
		}
	})
}

// A flush of loaded, unchanged rows runs no statement, even when a []byte
// or time.Time field holds a new value equal to the old one.
func TestNoOpFlush(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		seed(t, db, artists.Table, &artist{Name: "Queen", Photo: []byte{1, 2}, Born: born})
		u := begin(t, db)
		a, err := uow.Get(ctx, u, artists.Table, 1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := uow.Find(ctx, u, repo.New(db, artists.Table).Query()); err != nil {
			t.Fatal(err)
		}
		a.Photo = []byte{1, 2}
		a.Born = a.Born.In(time.FixedZone("CEST", 2*3600))
		rec.reset()
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if got := rec.statements(); len(got) != 0 {
			t.Errorf("no-op Flush ran %q, want no statement", got)
		}
		if err := u.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if got := rec.statements(); len(got) != 0 {
			t.Errorf("no-op Commit ran %q, want no statement", got)
		}
	})
}
