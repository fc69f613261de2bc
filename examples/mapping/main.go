// Command mapping is the Artist → Album → Track mapping of the README, with
// back-pointers and cascades, as a program: it creates the schema, writes
// an artist with her albums and tracks in one unit of work, and deletes
// her with everything she owns. Its test counts the mapping's lines.
package main

import (
	"context"
	"io"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/examples/internal/cli"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// mapping:start
type Artist struct {
	ID     int64
	Name   string
	Albums []*Album
}

type Album struct {
	ID, ArtistID int64
	Title        string
	Artist       *Artist
	Tracks       []*Track
}

type Track struct {
	ID, AlbumID int64
	Name        string
	Album       *Album
}

type ArtistTable struct {
	*mapped.Table[Artist]
	ID   mapped.Column[Artist, int64]
	Name mapped.TextColumn[Artist, string]
}

type AlbumTable struct {
	*mapped.Table[Album]
	ID, ArtistID mapped.Column[Album, int64]
	Title        mapped.TextColumn[Album, string]
}

type TrackTable struct {
	*mapped.Table[Track]
	ID, AlbumID mapped.Column[Track, int64]
	Name        mapped.TextColumn[Track, string]
}

var Artists = mapped.Define("artist", func(t *mapped.Table[Artist], a *Artist) ArtistTable {
	return ArtistTable{t, mapped.PrimaryKey(t, &a.ID), mapped.Text(t, &a.Name)}
})

var Albums = mapped.Define("album", func(t *mapped.Table[Album], a *Album) AlbumTable {
	return AlbumTable{t, mapped.PrimaryKey(t, &a.ID), mapped.ForeignKey(t, &a.ArtistID, Artists.ID), mapped.Text(t, &a.Title)}
})

var Tracks = mapped.Define("track", func(t *mapped.Table[Track], tr *Track) TrackTable {
	return TrackTable{t, mapped.PrimaryKey(t, &tr.ID), mapped.ForeignKey(t, &tr.AlbumID, Albums.ID), mapped.Text(t, &tr.Name)}
})

var ArtistAlbums = relation.HasMany(Albums.ArtistID, func(a *Artist) *[]*Album { return &a.Albums }).
	Back(func(al *Album) **Artist { return &al.Artist })

var AlbumTracks = relation.HasMany(Tracks.AlbumID, func(a *Album) *[]*Track { return &a.Tracks }).
	Back(func(t *Track) **Album { return &t.Album })

var Music = model.MustNew(model.Tables(Artists, Albums, Tracks), uow.Owns(ArtistAlbums), uow.Owns(AlbumTracks))

// mapping:end

func main() { cli.Main(run) }

// run writes an artist with her albums and tracks in one unit of work,
// then deletes her: her albums and their tracks go with her.
func run(ctx context.Context, raw dialect.DB, out io.Writer) error {
	p := cli.Printer{W: out}
	db := Music.Bind(raw)
	if err := Music.DropAll(ctx, db); err != nil {
		return err
	}
	if err := Music.CreateAll(ctx, db); err != nil {
		return err
	}
	// The tables' names are common ones (other examples have an artist
	// and a track): leave none behind.
	defer func() { _ = Music.DropAll(context.WithoutCancel(ctx), db) }()
	moloko := &Artist{Name: "Moloko", Albums: []*Album{
		{Title: "Statues", Tracks: []*Track{{Name: "Familiar Feeling"}, {Name: "Forever More"}}},
		{Title: "Things to Make and Do", Tracks: []*Track{{Name: "Sing It Back"}}},
	}}
	err := uow.Run(ctx, db, func(u *uow.Unit) error { return uow.Add(u, Artists.Table, moloko) })
	if err != nil {
		return err
	}
	n, err := repo.New(db, Tracks.Table).Count(ctx)
	if err != nil {
		return err
	}
	p.Printf("Moloko written with %d albums and %d tracks\n", len(moloko.Albums), n)
	albums, err := repo.New(db, Albums.Table).Load(AlbumTracks.OrderBy(Tracks.Name.Asc())).
		Where(Albums.ArtistID.Eq(moloko.ID)).OrderBy(Albums.Title.Asc()).All(ctx)
	if err != nil {
		return err
	}
	tr := albums[0].Tracks[0]
	p.Printf("%s is on %s (loaded with its back-pointer)\n", tr.Name, tr.Album.Title)
	if err := repo.New(db, Artists.Table).Delete(ctx, moloko); err != nil {
		return err
	}
	n, err = repo.New(db, Tracks.Table).Count(ctx)
	if err != nil {
		return err
	}
	p.Printf("after deleting Moloko: %d tracks\n", n)
	return nil
}
