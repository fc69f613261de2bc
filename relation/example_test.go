package relation_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/connect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

type Artist struct {
	ID     int64
	Name   string
	Tracks []*Track
}

type Track struct {
	ID       int64
	ArtistID int64
	Title    string
	Artist   *Artist
}

type ArtistTable struct {
	*mapped.Table[Artist]
	ID   mapped.Column[Artist, int64]
	Name mapped.TextColumn[Artist, string]
}

type TrackTable struct {
	*mapped.Table[Track]
	ID       mapped.Column[Track, int64]
	ArtistID mapped.Column[Track, int64]
	Title    mapped.TextColumn[Track, string]
}

var Artists = mapped.Define("artist", func(t *mapped.Table[Artist], a *Artist) ArtistTable {
	return ArtistTable{Table: t,
		ID:   mapped.PrimaryKey(t, &a.ID),
		Name: mapped.Text(t, &a.Name),
	}
})

var Tracks = mapped.Define("track", func(t *mapped.Table[Track], tr *Track) TrackTable {
	return TrackTable{Table: t,
		ID:       mapped.PrimaryKey(t, &tr.ID),
		ArtistID: mapped.ForeignKey(t, &tr.ArtistID, Artists.ID),
		Title:    mapped.Text(t, &tr.Title),
	}
})

// ArtistTracks is an artist's tracks; loading them points each track back
// at its artist. Deleting an artist deletes them through a handle bound to
// Catalogue.
var ArtistTracks = relation.HasMany(Tracks.ArtistID, func(a *Artist) *[]*Track { return &a.Tracks }).
	Back(func(t *Track) **Artist { return &t.Artist })

// TrackArtist is the same foreign key seen from the track.
var TrackArtist = relation.BelongsTo(Tracks.ArtistID, func(t *Track) **Artist { return &t.Artist })

type Movie struct {
	ID     int64
	Title  string
	Actors []*Actor
}

type Actor struct {
	ID   int64
	Name string
}

// MovieActor is a row of the association table.
type MovieActor struct {
	MovieID int64
	ActorID int64
}

type MovieTable struct {
	*mapped.Table[Movie]
	ID    mapped.Column[Movie, int64]
	Title mapped.TextColumn[Movie, string]
}

type ActorTable struct {
	*mapped.Table[Actor]
	ID   mapped.Column[Actor, int64]
	Name mapped.TextColumn[Actor, string]
}

type MovieActorTable struct {
	*mapped.Table[MovieActor]
	MovieID mapped.Column[MovieActor, int64]
	ActorID mapped.Column[MovieActor, int64]
}

var Movies = mapped.Define("movie", func(t *mapped.Table[Movie], m *Movie) MovieTable {
	return MovieTable{Table: t, ID: mapped.PrimaryKey(t, &m.ID), Title: mapped.Text(t, &m.Title)}
})

var Actors = mapped.Define("actor", func(t *mapped.Table[Actor], a *Actor) ActorTable {
	return ActorTable{Table: t, ID: mapped.PrimaryKey(t, &a.ID), Name: mapped.Text(t, &a.Name)}
})

// MovieActors is keyed by the pair of keys it links.
var MovieActors = mapped.Define("movie_actor", func(t *mapped.Table[MovieActor], l *MovieActor) MovieActorTable {
	return MovieActorTable{Table: t,
		MovieID: mapped.ForeignKey(t, &l.MovieID, Movies.ID, mapped.InPrimaryKey()),
		ActorID: mapped.ForeignKey(t, &l.ActorID, Actors.ID, mapped.InPrimaryKey()),
	}
})

var MovieCast = relation.ManyToManyThrough(MovieActors.MovieID, MovieActors.ActorID,
	func(m *Movie) *[]*Actor { return &m.Actors })

// Catalogue is the examples' model: through a handle bound to it, deleting
// an artist deletes its tracks first, and deleting a movie or an actor its
// rows of movie_actor.
var Catalogue = model.MustNew(
	model.Tables(Artists.Table, Tracks.Table, Movies.Table, Actors.Table, MovieActors.Table),
	model.OnDelete(ArtistTracks, mapped.Cascade),
	model.Links(MovieCast),
)

// exampleDB opens a new in-memory SQLite database holding every example
// table and a few artists and tracks.
func exampleDB(opts ...dialect.Option) dialect.DB {
	ctx := context.Background()
	db, err := connect.Open(ctx, "sqlite::memory:", opts...)
	if err != nil {
		panic(err)
	}
	err = mapped.CreateAll(ctx, db, Artists.Table, Tracks.Table, Movies.Table, Actors.Table, MovieActors.Table)
	if err != nil {
		panic(err)
	}
	for _, a := range []struct {
		name   string
		tracks []string
	}{
		{"ABBA", []string{"Waterloo", "Dancing Queen"}},
		{"Queen", []string{"Love of My Life"}},
		{"Silence", nil},
	} {
		artist := &Artist{Name: a.name}
		if err := repo.New(db, Artists.Table).Insert(ctx, artist); err != nil {
			panic(err)
		}
		for _, title := range a.tracks {
			if err := repo.New(db, Tracks.Table).Insert(ctx, &Track{ArtistID: artist.ID, Title: title}); err != nil {
				panic(err)
			}
		}
	}
	return db
}

func ExampleHasMany() {
	ctx := context.Background()
	var queries atomic.Int64
	db := exampleDB(dialect.WithHook(func(_ context.Context, e dialect.Event) {
		if e.Op == dialect.OpQuery {
			queries.Add(1)
		}
	}))
	defer db.Close()

	queries.Store(0)
	artists, err := repo.New(db, Artists.Table).
		Load(ArtistTracks.OrderBy(Tracks.Title.Asc())).
		OrderBy(Artists.Name.Asc()).
		All(ctx)
	if err != nil {
		panic(err)
	}
	for _, a := range artists {
		fmt.Print(a.Name, ":")
		for _, t := range a.Tracks {
			fmt.Printf(" %q (by %s)", t.Title, t.Artist.Name)
		}
		fmt.Println()
	}
	fmt.Println("queries:", queries.Load())
	// Output:
	// ABBA: "Dancing Queen" (by ABBA) "Waterloo" (by ABBA)
	// Queen: "Love of My Life" (by Queen)
	// Silence:
	// queries: 2
}

func ExampleOneToMany_Fetch() {
	ctx := context.Background()
	db := exampleDB()
	defer db.Close()

	silence, _ := repo.New(db, Artists.Table).Where(Artists.Name.Eq("Silence")).One(ctx)
	_, err := ArtistTracks.Get(silence)
	fmt.Println(errors.Is(err, relation.ErrNotLoaded))

	tracks, err := ArtistTracks.Fetch(ctx, db, silence)
	fmt.Println(len(tracks), tracks != nil, err)
	// Output:
	// true
	// 0 true <nil>
}

func ExampleManyToOne_Has() {
	ctx := context.Background()
	db := exampleDB()
	defer db.Close()

	// Tracks whose artist's name comes after "B": a condition on tracks.
	tracks, err := repo.New(db, Tracks.Table).
		Where(TrackArtist.Has(Artists.Name.Gt("B"))).
		All(ctx)
	for _, t := range tracks {
		fmt.Println(t.Title)
	}
	fmt.Println(err)

	// Artists with a track like %Love%: a condition on artists.
	n, err := repo.New(db, Artists.Table).Where(ArtistTracks.Any(Tracks.Title.Like("%Love%"))).Count(ctx)
	fmt.Println(n, err)
	// Output:
	// Love of My Life
	// <nil>
	// 1 <nil>
}

func Example_link() {
	ctx := context.Background()
	db := exampleDB()
	defer db.Close()
	matrix := &Movie{Title: "The Matrix"}
	keanu, carrie := &Actor{Name: "Keanu"}, &Actor{Name: "Carrie-Anne"}
	_ = repo.New(db, Movies.Table).Insert(ctx, matrix)
	_ = repo.New(db, Actors.Table).InsertMany(ctx, []*Actor{keanu, carrie})

	err := repo.Link(ctx, db, MovieCast, matrix, keanu, carrie)
	fmt.Println(err)
	err = repo.Link(ctx, db, MovieCast, matrix, keanu)
	fmt.Println(errors.Is(err, dialect.ErrUnique)) // linked already

	err = repo.Unlink(ctx, db, MovieCast, matrix, carrie)
	cast, _ := MovieCast.Fetch(ctx, db, matrix)
	for _, a := range cast {
		fmt.Println(a.Name)
	}
	fmt.Println(err)
	// Output:
	// <nil>
	// true
	// Keanu
	// <nil>
}

// The cascade is the model's, not the relation's: it runs on a handle
// bound to Catalogue. On the plain handle a delete is the one DELETE, and
// the database's foreign key (created by mapped.CreateAll, with no ON
// DELETE) refuses it.
func Example_cascade() {
	ctx := context.Background()
	plain := exampleDB()
	defer plain.Close()
	db := Catalogue.Bind(plain)
	artists, tracks := repo.New(db, Artists.Table), repo.New(db, Tracks.Table)

	queen, _ := artists.Where(Artists.Name.Eq("Queen")).One(ctx)
	err := repo.New(plain, Artists.Table).Delete(ctx, queen)
	fmt.Println(errors.Is(err, dialect.ErrForeignKey))

	abba, _ := artists.Where(Artists.Name.Eq("ABBA")).One(ctx)
	before, _ := tracks.Count(ctx)
	// Catalogue declares model.OnDelete(ArtistTracks, mapped.Cascade):
	// ABBA's tracks go first, in the same transaction.
	err = artists.Delete(ctx, abba)
	after, _ := tracks.Count(ctx)
	fmt.Println(before, after, err)
	// Output:
	// true
	// 3 1 <nil>
}
