package relation_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/integration"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

type sArtist struct {
	ID     int64
	Name   string
	Albums []*sAlbum
}
type sAlbum struct {
	ID       int64
	Title    string
	ArtistID int64
	Artist   *sArtist
	Tracks   []*sTrack
}
type sTrack struct {
	ID      int64
	Title   string
	AlbumID int64
}

type sArtistT struct {
	*mapped.Table[sArtist]
	ID   mapped.Column[sArtist, int64]
	Name mapped.TextColumn[sArtist, string]
}
type sAlbumT struct {
	*mapped.Table[sAlbum]
	ID       mapped.Column[sAlbum, int64]
	Title    mapped.TextColumn[sAlbum, string]
	ArtistID mapped.Column[sAlbum, int64]
}
type sTrackT struct {
	*mapped.Table[sTrack]
	ID      mapped.Column[sTrack, int64]
	Title   mapped.TextColumn[sTrack, string]
	AlbumID mapped.Column[sTrack, int64]
}

var (
	sArtists = mapped.Define("s_artist", func(t *mapped.Table[sArtist], a *sArtist) sArtistT {
		return sArtistT{t, mapped.PrimaryKey(t, "id", &a.ID), mapped.Text(t, "name", &a.Name)}
	})
	sAlbums = mapped.Define("s_album", func(t *mapped.Table[sAlbum], a *sAlbum) sAlbumT {
		return sAlbumT{t, mapped.PrimaryKey(t, "id", &a.ID), mapped.Text(t, "title", &a.Title),
			mapped.ForeignKey(t, "artist_id", &a.ArtistID, sArtists.ID)}
	})
	sTracks = mapped.Define("s_track", func(t *mapped.Table[sTrack], tr *sTrack) sTrackT {
		return sTrackT{t, mapped.PrimaryKey(t, "id", &tr.ID), mapped.Text(t, "title", &tr.Title),
			mapped.ForeignKey(t, "album_id", &tr.AlbumID, sAlbums.ID)}
	})
	sArtistAlbums = relation.HasMany(sArtists.ID, sAlbums.ArtistID, func(a *sArtist) *[]*sAlbum { return &a.Albums }).
			Back(func(al *sAlbum) **sArtist { return &al.Artist }).Cascade(relation.Delete)
	sAlbumTracks = relation.HasMany(sAlbums.ID, sTracks.AlbumID, func(a *sAlbum) *[]*sTrack { return &a.Tracks }).
			Cascade(relation.Delete)
	sAlbumArtist = relation.BelongsTo(sAlbums.ArtistID, sArtists.ID, func(a *sAlbum) **sArtist { return &a.Artist })
)

func TestSmokeLoad(t *testing.T) {
	var counts = map[string]int{}
	hook := dialect.WithHook(func(ctx context.Context, e dialect.Event) {
		if e.Op == dialect.OpQuery {
			if name, ok := ctx.Value("n").(string); ok {
				counts[name]++
			}
		}
	})
	integration.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		if err := mapped.CreateAll(ctx, db, sArtists.Table, sAlbums.Table, sTracks.Table); err != nil {
			t.Fatal(err)
		}
		ar, al, tr := repo.New(db, sArtists.Table), repo.New(db, sAlbums.Table), repo.New(db, sTracks.Table)
		for i := range 3 {
			a := &sArtist{Name: fmt.Sprint("artist", i)}
			if err := ar.Insert(ctx, a); err != nil {
				t.Fatal(err)
			}
			for j := range 2 {
				b := &sAlbum{Title: fmt.Sprintf("album%d%d", i, j), ArtistID: a.ID}
				if err := al.Insert(ctx, b); err != nil {
					t.Fatal(err)
				}
				for k := range 2 {
					if err := tr.Insert(ctx, &sTrack{Title: fmt.Sprintf("t%d%d%d", i, j, k), AlbumID: b.ID}); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		artists, err := ar.Load(sArtistAlbums.OrderBy(sAlbums.Title.Desc()).Then(sAlbumTracks)).OrderBy(sArtists.Name.Asc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(artists) != 3 || len(artists[0].Albums) != 2 || len(artists[0].Albums[0].Tracks) != 2 {
			t.Fatalf("loaded %+v", artists)
		}
		if artists[0].Albums[0].Title != "album01" || artists[0].Albums[0].Artist != artists[0] {
			t.Errorf("order/back: %+v", artists[0].Albums[0])
		}
		limited, err := ar.Load(sArtistAlbums.OrderBy(sAlbums.Title.Desc()).Limit(1)).All(ctx)
		if err != nil || len(limited[0].Albums) != 1 {
			t.Fatalf("limit: %v %+v", err, limited)
		}
		n, err := al.Where(sAlbumArtist.Has(sArtists.Name.Eq("artist1"))).Count(ctx)
		if err != nil || n != 2 {
			t.Errorf("Has: %d %v", n, err)
		}
		n, err = ar.Where(sArtistAlbums.Any(sAlbums.Title.Eq("album21"))).Count(ctx)
		if err != nil || n != 1 {
			t.Errorf("Any: %d %v", n, err)
		}
		rows, err := query.Select2(sArtists.Name, sAlbums.Title).Join(sArtistAlbums).OrderBy(sAlbums.Title.Asc()).All(ctx, db)
		if err != nil || len(rows) != 6 || rows[0].V2 != "album00" {
			t.Errorf("join: %v %v", rows, err)
		}
		if err := ar.Delete(ctx, artists[0]); err != nil {
			t.Fatal(err)
		}
		left, _ := tr.Count(ctx)
		albumsLeft, _ := al.Count(ctx)
		if left != 8 || albumsLeft != 4 {
			t.Errorf("after cascade: tracks %d albums %d", left, albumsLeft)
		}
		_ = counts
	}, hook)
}
