package uow_test

import (
	"context"
	"slices"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/uow"
)

type album struct {
	ID    int64
	Title string
	Songs []*song
}

type song struct {
	ID      int64
	AlbumID int64
	Title   string
}

type albumTable struct {
	*mapped.Table[album]
	ID    mapped.Column[album, int64]
	Title mapped.TextColumn[album, string]
}

type songTable struct {
	*mapped.Table[song]
	ID      mapped.Column[song, int64]
	AlbumID mapped.Column[song, int64]
	Title   mapped.TextColumn[song, string]
}

var albums = mapped.Define("album", func(t *mapped.Table[album], a *album) albumTable {
	return albumTable{Table: t, ID: mapped.PrimaryKey(t, "id", &a.ID), Title: mapped.Text(t, "title", &a.Title)}
})

var songs = mapped.Define("song", func(t *mapped.Table[song], s *song) songTable {
	return songTable{Table: t, ID: mapped.PrimaryKey(t, "id", &s.ID),
		AlbumID: mapped.ForeignKey(t, "album_id", &s.AlbumID, albums.ID), Title: mapped.Text(t, "title", &s.Title)}
})

var albumSongs = relation.HasMany(albums.ID, songs.AlbumID, func(a *album) *[]*song { return &a.Songs }).
	Cascade(relation.Delete)

// Deleting a row through a unit applies its relations' cascades
// (albumSongs).
func TestDeleteCascades(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		if err := mapped.CreateAll(ctx, db, albums.Table, songs.Table); err != nil {
			t.Fatal(err)
		}
		seed(t, db, albums.Table, &album{Title: "Gone"}, &album{Title: "Kept"})
		seed(t, db, songs.Table, &song{AlbumID: 1, Title: "a"}, &song{AlbumID: 1, Title: "b"}, &song{AlbumID: 2, Title: "c"})
		rec.reset()
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			a, err := uow.Get(ctx, u, albums.Table, 1)
			if err != nil {
				return err
			}
			return uow.Delete(u, albums.Table, a)
		})
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		if na, ns := count(t, db, albums.Table), count(t, db, songs.Table); na != 1 || ns != 1 {
			t.Errorf("%d albums and %d songs left, want 1 and 1", na, ns)
		}
		// The relation's cascade ran the song delete, not only the
		// database's ON DELETE CASCADE.
		if got, want := statementTables(rec.statements(), "DELETE FROM "), []string{"song", "album"}; !slices.Equal(got, want) {
			t.Errorf("deletes from %q, want %q", got, want)
		}
	})
}
