// Command music is genrepo's first tour: artists and their tracks, mapped
// from plain structs, created, queried, corrected and deleted.
//
//	go run ./examples/music                      # in-memory SQLite
//	go run ./examples/music -dsn sqlite:music.db # a SQLite file
//	go run ./examples/music -dsn postgres://postgres@127.0.0.1:5432/test
package main

import (
	"context"
	"errors"
	"io"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/examples/internal/cli"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// Artist and Track are plain structs: no tags, no embedded base type.
type Artist struct {
	ID   int64
	Name string
}

type Track struct {
	ID       int64
	Title    string
	Seconds  int32
	ArtistID int64
}

// ArtistTable holds the typed columns of the artist table.
type ArtistTable struct {
	*mapped.Table[Artist]
	ID   mapped.Column[Artist, int64]
	Name mapped.TextColumn[Artist, string]
}

var Artists = mapped.Define("artist", func(t *mapped.Table[Artist], a *Artist) ArtistTable {
	return ArtistTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, &a.ID),
		Name:  mapped.Text(t, &a.Name, mapped.Size(30), mapped.Unique()),
	}
})

// TrackTable holds the typed columns of the track table.
type TrackTable struct {
	*mapped.Table[Track]
	ID       mapped.Column[Track, int64]
	Title    mapped.TextColumn[Track, string]
	Seconds  mapped.Column[Track, int32]
	ArtistID mapped.Column[Track, int64]
}

var Tracks = mapped.Define("track", func(t *mapped.Table[Track], tr *Track) TrackTable {
	return TrackTable{
		Table:    t,
		ID:       mapped.PrimaryKey(t, &tr.ID),
		Title:    mapped.Text(t, &tr.Title, mapped.Size(100)),
		Seconds:  mapped.Col(t, &tr.Seconds),
		ArtistID: mapped.ForeignKey(t, &tr.ArtistID, Artists.ID, mapped.OnDelete(mapped.Cascade), mapped.Index()),
	}
})

// Model is the schema: its two tables. The tour needs no relation rules:
// track.artist_id declares its own ON DELETE CASCADE, so the database
// deletes an artist's tracks with him.
var Model = model.MustNew(model.Tables(Artists.Table, Tracks.Table))

func main() { cli.Main(run) }

// run is the tour itself, writing what it sees to out.
func run(ctx context.Context, db dialect.DB, out io.Writer) error {
	p := cli.Printer{W: out}
	db = Model.Bind(db)

	// Start from a clean slate so the program can be run again.
	if err := Model.DropAll(ctx, db); err != nil {
		return err
	}
	if err := Model.CreateAll(ctx, db); err != nil {
		return err
	}
	artists := repo.New(db, Artists.Table)
	tracks := repo.New(db, Tracks.Table)

	// Insert: keys come back from RETURNING.
	queen, m83 := &Artist{Name: "Queen"}, &Artist{Name: "m83"}
	if err := artists.InsertMany(ctx, []*Artist{queen, m83, {Name: "Daft Punk"}}); err != nil {
		return err
	}
	p.Printf("inserted Queen as %d and m83 as %d\n", queen.ID, m83.ID)
	err := tracks.InsertMany(ctx, []*Track{
		{Title: "Bohemian Rhapsody", Seconds: 354, ArtistID: queen.ID},
		{Title: "Love of My Life", Seconds: 219, ArtistID: queen.ID},
		{Title: "Midnight City", Seconds: 243, ArtistID: m83.ID},
		{Title: "Wait", Seconds: 343, ArtistID: m83.ID},
	})
	if err != nil {
		return err
	}

	// A unique name cannot be inserted twice; the error says why.
	err = artists.Insert(ctx, &Artist{Name: "Queen"})
	p.Println("second Queen refused:", errors.Is(err, dialect.ErrUnique))

	// Find by name; One reports none or several as errors.
	found, err := artists.Where(Artists.Name.Eq("m83")).One(ctx)
	if err != nil {
		return err
	}
	p.Printf("found %q with id %d\n", found.Name, found.ID)

	// Fix the typo: an UPDATE of the name column only.
	found.Name = "M83"
	if err := artists.Update(ctx, found, Artists.Name); err != nil {
		return err
	}
	fixed, err := artists.Get(ctx, found.ID)
	if err != nil {
		return err
	}
	p.Printf("renamed to %q\n", fixed.Name)

	// List with a condition and ordering.
	long, err := tracks.Where(Tracks.Seconds.Gt(240)).OrderBy(Tracks.Seconds.Desc()).All(ctx)
	if err != nil {
		return err
	}
	for _, t := range long {
		p.Printf("  %-18s %d:%02d\n", t.Title, t.Seconds/60, t.Seconds%60)
	}

	// A typed projection: titles and lengths of one artist's tracks.
	rows, err := query.Select2(Tracks.Title, Tracks.Seconds).
		Where(Tracks.ArtistID.Eq(queen.ID)).
		OrderBy(Tracks.Title.Asc()).
		All(ctx, db)
	if err != nil {
		return err
	}
	for _, r := range rows {
		p.Printf("  Queen: %s (%ds)\n", r.V1, r.V2)
	}

	// Aggregates per artist, through a subquery of artist ids.
	total, err := query.Select1(query.Sum(Tracks.Seconds)).
		Where(Tracks.ArtistID.InQuery(query.Select1(Artists.ID).Where(Artists.Name.HasPrefix("M")))).
		One(ctx, db)
	if err != nil {
		return err
	}
	p.Printf("seconds of music by artists starting with M: %d\n", total)

	// Delete: the artist's tracks go too (ON DELETE CASCADE).
	if err := artists.Delete(ctx, queen); err != nil {
		return err
	}
	left, err := tracks.Count(ctx)
	if err != nil {
		return err
	}
	p.Printf("after deleting Queen: %d tracks left\n", left)

	// Deleting it again is reported, not silently ignored.
	err = artists.Delete(ctx, queen)
	p.Println("second delete:", errors.Is(err, repo.ErrNotFound))
	return nil
}
