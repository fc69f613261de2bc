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

type r2Artist struct {
	ID     int64
	Name   string
	Tracks []*r2Track
}

type r2ArtistTable struct {
	*mapped.Table[r2Artist]
	ID   mapped.Column[r2Artist, int64]
	Name mapped.Column[r2Artist, string]
}

type r2Track struct {
	ID       int64
	ArtistID int64
	Name     string
	Artist   *r2Artist
}

type r2TrackTable struct {
	*mapped.Table[r2Track]
	ID       mapped.Column[r2Track, int64]
	ArtistID mapped.Column[r2Track, int64]
	Name     mapped.Column[r2Track, string]
}

var r2Artists = mapped.Define("r2_artist", func(t *mapped.Table[r2Artist], a *r2Artist) r2ArtistTable {
	return r2ArtistTable{ID: mapped.PrimaryKey(t, &a.ID), Name: mapped.Col(t, &a.Name)}
})

var r2Tracks = mapped.Define("r2_track", func(t *mapped.Table[r2Track], tr *r2Track) r2TrackTable {
	return r2TrackTable{ID: mapped.PrimaryKey(t, &tr.ID),
		ArtistID: mapped.ForeignKey(t, &tr.ArtistID, r2Artists.ID), Name: mapped.Col(t, &tr.Name)}
})

var r2ArtistTracks = relation.HasMany(r2Tracks.ArtistID, func(a *r2Artist) *[]*r2Track { return &a.Tracks }).
	Back(func(t *r2Track) **r2Artist { return &t.Artist })

// TestReview2NestedRollbackKeepsBackPointer: inside a Nested unit a new
// track is put in artist a's collection and flushed; the flush sets its
// foreign key and, since 323910b, its Back pointer to a. fn then fails and
// Nested rolls back: the track's key and foreign key, which the flush
// filled in, are cleared (tb.written), but its Back pointer still names a,
// though a's collection no longer holds it. Putting the track in b's
// collection afterwards then fails: the unit follows the stale Back
// pointer too and finds the track claimed by both artists.
func TestReview2NestedRollbackKeepsBackPointer(t *testing.T) {
	m := model.MustNew(model.Tables(r2Artists, r2Tracks), uow.Owns(r2ArtistTracks))
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		db := m.Bind(raw)
		if err := m.CreateAll(ctx, db); err != nil {
			t.Fatal(err)
		}
		if err := repo.New(db, r2Artists.Table).InsertMany(ctx, []*r2Artist{{Name: "a"}, {Name: "b"}}); err != nil {
			t.Fatal(err)
		}
		u, err := uow.Begin(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer u.Rollback(ctx)
		as, err := uow.Find(ctx, u, repo.New(db, r2Artists.Table).OrderBy(r2Artists.ID.Asc()).Load(r2ArtistTracks))
		if err != nil || len(as) != 2 {
			t.Fatalf("Find: %d, %v", len(as), err)
		}
		a, b := as[0], as[1]
		tr := &r2Track{Name: "song"}
		refused := errors.New("a has too many tracks")
		err = u.Nested(ctx, func(u *uow.Unit) error {
			a.Tracks = append(a.Tracks, tr)
			if err := u.Flush(ctx); err != nil {
				return err
			}
			return refused
		})
		if !errors.Is(err, refused) {
			t.Fatalf("Nested: %v", err)
		}
		if tr.ID != 0 || tr.ArtistID != 0 {
			t.Fatalf("after the rolled-back Nested: track %d, artist_id %d; want both cleared", tr.ID, tr.ArtistID)
		}
		if tr.Artist != nil {
			t.Errorf("after the rolled-back Nested the track's Back pointer names artist %q, whose collection does not hold it; want nil as before", tr.Artist.Name)
		}
		b.Tracks = append(b.Tracks, tr)
		if err := u.Flush(ctx); err != nil {
			t.Errorf("flush putting the track in b's collection after the rolled-back Nested: %v", err)
		} else if tr.ArtistID != b.ID {
			t.Errorf("track's artist_id %d, want b's %d", tr.ArtistID, b.ID)
		}
	})
}

// TestReview2RollbackKeepsBackPointer: what uow.Run does on a retry, by
// hand. A unit puts a new track in artist a's collection and flushes (its
// key, foreign key and Back pointer are set), then is rolled back; the
// rollback clears the key and foreign key it filled in, so that the track
// can be used again, but not the Back pointer, which still names the first
// unit's copy of a. A second unit loads a again (a new *r2Artist) and puts
// the track in its collection: the flush follows the stale Back pointer to
// the old copy, a row the unit does not know, and fails, where before
// 323910b it wrote the track.
func TestReview2RollbackKeepsBackPointer(t *testing.T) {
	m := model.MustNew(model.Tables(r2Artists, r2Tracks), uow.Owns(r2ArtistTracks))
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		db := m.Bind(raw)
		if err := m.CreateAll(ctx, db); err != nil {
			t.Fatal(err)
		}
		a := &r2Artist{Name: "a"}
		if err := repo.New(db, r2Artists.Table).Insert(ctx, a); err != nil {
			t.Fatal(err)
		}
		tr := &r2Track{Name: "song"}
		attempt := func(commit bool) error {
			u, err := uow.Begin(ctx, db)
			if err != nil {
				return err
			}
			defer u.Rollback(ctx)
			ua, err := uow.Get(ctx, u, r2Artists.Table, a.ID)
			if err != nil {
				return err
			}
			ua.Tracks = append(ua.Tracks, tr)
			if err := u.Flush(ctx); err != nil {
				return err
			}
			if !commit {
				return u.Rollback(ctx)
			}
			return u.Commit(ctx)
		}
		if err := attempt(false); err != nil {
			t.Fatalf("first attempt: %v", err)
		}
		if tr.ID != 0 || tr.ArtistID != 0 {
			t.Fatalf("after rollback: track %d, artist_id %d; want both cleared", tr.ID, tr.ArtistID)
		}
		if tr.Artist != nil {
			t.Errorf("after rollback the track's Back pointer still names the rolled-back unit's artist")
		}
		if err := attempt(true); err != nil {
			t.Errorf("second attempt with the same track: %v", err)
		}
	})
}
