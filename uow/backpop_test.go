package uow_test

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// A flush points the children it adopts through a followed collection at
// their parent (the relation's Back pointer), as SQLAlchemy's
// back_populates does: a new child, a loaded child moved to another
// parent's collection, and one already holding its parent's key; a
// rolled-back unit puts the old pointers back.
func TestFlushPopulatesBack(t *testing.T) {
	m := model.MustNew(model.Tables(r2Artists, r2Tracks), uow.Owns(r2ArtistTracks))
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		db := m.Bind(raw)
		if err := m.CreateAll(ctx, db); err != nil {
			t.Fatal(err)
		}
		song := &r2Track{Name: "song"}
		a := &r2Artist{Name: "a", Tracks: []*r2Track{song}}
		if err := uow.Run(ctx, db, func(u *uow.Unit) error { return uow.Add(u, r2Artists.Table, a) }); err != nil {
			t.Fatal(err)
		}
		if song.Artist != a {
			t.Errorf("new track's Back pointer %p, want its artist %p", song.Artist, a)
		}

		u, err := uow.Begin(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = u.Rollback(ctx) }()
		if err := uow.Add(u, r2Artists.Table, &r2Artist{Name: "b"}); err != nil {
			t.Fatal(err)
		}
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		as, err := uow.Find(ctx, u, repo.New(db, r2Artists.Table).OrderBy(r2Artists.ID.Asc()).Load(r2ArtistTracks))
		if err != nil || len(as) != 2 {
			t.Fatalf("Find: %d, %v", len(as), err)
		}
		la, lb := as[0], as[1]
		moved := la.Tracks[0]
		if moved.Artist != la {
			t.Fatalf("loaded track's Back pointer %v, want the artist it was loaded with", moved.Artist)
		}
		la.Tracks, lb.Tracks = nil, []*r2Track{moved}
		// Already b's by key, the new track needs no UPDATE, only the
		// pointer.
		keyed := &r2Track{Name: "keyed", ArtistID: lb.ID}
		lb.Tracks = append(lb.Tracks, keyed)
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if moved.Artist != lb || moved.ArtistID != lb.ID {
			t.Errorf("moved track: Back %v, artist_id %d; want b (%d)", moved.Artist, moved.ArtistID, lb.ID)
		}
		if keyed.Artist != lb {
			t.Errorf("track added with b's key: Back %v, want b", keyed.Artist)
		}
		if err := u.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
		// The new row's pointer is put back with its key; the loaded row
		// keeps its pointer with its foreign key.
		if moved.Artist != lb || keyed.Artist != nil {
			t.Errorf("after Rollback: Back pointers %v and %v, want b (the loaded row's, as its artist_id) and nil", moved.Artist, keyed.Artist)
		}
		if n := count(t, db, r2Tracks.Table); n != 1 {
			t.Errorf("%d tracks stored after the rollback, want 1", n)
		}
	})
}
