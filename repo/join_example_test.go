package repo_test

import (
	"context"
	"fmt"

	"github.com/genrepo/genrepo/dialect/connect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

// Tracks ordered by their album's title and filtered by the album's
// artist: the album's conditions go to the Joined, the track's to the
// Query.
func ExampleJoin() {
	ctx := context.Background()
	db, err := connect.Open(ctx, "sqlite::memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if err := mapped.CreateAll(ctx, db, Artists.Table, Albums.Table, Tracks.Table); err != nil {
		panic(err)
	}
	artists, albums, tracks := repo.New(db, Artists.Table), repo.New(db, Albums.Table), repo.New(db, Tracks.Table)
	queen := &Artist{Name: "Queen"}
	_ = artists.Insert(ctx, queen)
	opera, jazz := &Album{ArtistID: queen.ID, Title: "Opera"}, &Album{ArtistID: queen.ID, Title: "Jazz"}
	_ = albums.InsertMany(ctx, []*Album{opera, jazz})
	_ = tracks.InsertMany(ctx, []*Track{
		{AlbumID: &opera.ID, Name: "Bohemian", Ms: 354},
		{AlbumID: &jazz.ID, Name: "Mustapha", Ms: 180},
		{Name: "Lone", Ms: 100}, // in no album
	})

	q := repo.Join(tracks.Where(Tracks.Ms.Gt(150)), TrackAlbum).
		Where(Albums.ArtistID.Eq(queen.ID)).
		OrderBy(Albums.Title.Asc()).
		Query().Load(TrackAlbum)
	rows, err := q.All(ctx)
	for _, t := range rows {
		fmt.Println(t.Album.Title, t.Name)
	}
	fmt.Println(err)

	// A left join keeps the track in no album.
	n, err := repo.LeftJoin(tracks.Query(), TrackAlbum).Query().Count(ctx)
	fmt.Println(n, err)
	// Output:
	// Jazz Mustapha
	// Opera Bohemian
	// <nil>
	// 3 <nil>
}
