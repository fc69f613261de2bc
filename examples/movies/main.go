// Command movies maps the schema of SQLAlchemy's classic ORM tutorial:
// movies and actors (many-to-many through movies_actors), an actor's
// stuntman (one-to-one) and his contact details (one-to-many), and asks
// it the tutorial's questions, with relations doing the joins.
//
//	go run ./examples/movies                      # in-memory SQLite
//	go run ./examples/movies -dsn sqlite:movies.db
//	go run ./examples/movies -dsn postgres://postgres@127.0.0.1:5432/test
package main

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/examples/internal/cli"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

// The models are plain structs. Slice and pointer fields to other models
// are not columns: relations fill them when asked to.
type (
	Movie struct {
		ID       int64
		Title    string
		Released time.Time
		Actors   []*Actor
	}

	Actor struct {
		ID       int64
		Name     string
		Movies   []*Movie
		Stuntman *Stuntman
		Contacts []*ContactDetails
	}

	// MovieActor is a row of the association table: the actor plays in
	// the movie.
	MovieActor struct {
		MovieID int64
		ActorID int64
	}

	Stuntman struct {
		ID      int64
		Name    string
		Active  bool
		ActorID int64
	}

	ContactDetails struct {
		ID          int64
		PhoneNumber string
		Address     string
		ActorID     int64
	}
)

// MovieTable holds the typed columns of the movie table.
type MovieTable struct {
	*mapped.Table[Movie]
	ID       mapped.Column[Movie, int64]
	Title    mapped.TextColumn[Movie, string]
	Released mapped.Column[Movie, time.Time]
}

var Movies = mapped.Define("movie", func(t *mapped.Table[Movie], m *Movie) MovieTable {
	return MovieTable{
		Table:    t,
		ID:       mapped.PrimaryKey(t, &m.ID),
		Title:    mapped.Text(t, &m.Title, mapped.Size(100)),
		Released: mapped.Col(t, &m.Released),
	}
})

// ActorTable holds the typed columns of the actor table.
type ActorTable struct {
	*mapped.Table[Actor]
	ID   mapped.Column[Actor, int64]
	Name mapped.TextColumn[Actor, string]
}

var Actors = mapped.Define("actor", func(t *mapped.Table[Actor], a *Actor) ActorTable {
	return ActorTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, &a.ID),
		Name:  mapped.Text(t, &a.Name, mapped.Size(100)),
	}
})

// MovieActorTable is the association table, declared like any other: its
// primary key is the pair of foreign keys, and actor_id gets an index of
// its own to find an actor's movies.
type MovieActorTable struct {
	*mapped.Table[MovieActor]
	MovieID mapped.Column[MovieActor, int64]
	ActorID mapped.Column[MovieActor, int64]
}

var MovieActors = mapped.Define("movies_actors", func(t *mapped.Table[MovieActor], ma *MovieActor) MovieActorTable {
	return MovieActorTable{
		Table:   t,
		MovieID: mapped.ForeignKey(t, &ma.MovieID, Movies.ID, mapped.InPrimaryKey()),
		ActorID: mapped.ForeignKey(t, &ma.ActorID, Actors.ID, mapped.InPrimaryKey(), mapped.Index()),
	}
})

// StuntmanTable holds the typed columns of the stuntman table. actor_id is
// unique: an actor has at most one stuntman.
type StuntmanTable struct {
	*mapped.Table[Stuntman]
	ID      mapped.Column[Stuntman, int64]
	Name    mapped.TextColumn[Stuntman, string]
	Active  mapped.Column[Stuntman, bool]
	ActorID mapped.Column[Stuntman, int64]
}

var Stuntmen = mapped.Define("stuntman", func(t *mapped.Table[Stuntman], s *Stuntman) StuntmanTable {
	return StuntmanTable{
		Table:   t,
		ID:      mapped.PrimaryKey(t, &s.ID),
		Name:    mapped.Text(t, &s.Name, mapped.Size(100)),
		Active:  mapped.Col(t, &s.Active),
		ActorID: mapped.ForeignKey(t, &s.ActorID, Actors.ID, mapped.Unique()),
	}
})

// ContactTable holds the typed columns of the contact_details table.
type ContactTable struct {
	*mapped.Table[ContactDetails]
	ID          mapped.Column[ContactDetails, int64]
	PhoneNumber mapped.TextColumn[ContactDetails, string]
	Address     mapped.TextColumn[ContactDetails, string]
	ActorID     mapped.Column[ContactDetails, int64]
}

var Contacts = mapped.Define("contact_details", func(t *mapped.Table[ContactDetails], c *ContactDetails) ContactTable {
	return ContactTable{
		Table:       t,
		ID:          mapped.PrimaryKey(t, &c.ID),
		PhoneNumber: mapped.Text(t, &c.PhoneNumber, mapped.Size(20)),
		Address:     mapped.Text(t, &c.Address, mapped.Size(100)),
		ActorID:     mapped.ForeignKey(t, &c.ActorID, Actors.ID, mapped.Index()),
	}
})

// The relations. A many-to-many relation is declared from one side, a
// movie's cast through movies_actors, and Reverse gives the other: an
// actor's movies.
var (
	MovieCast = relation.ManyToManyThrough(MovieActors.MovieID, MovieActors.ActorID,
		func(m *Movie) *[]*Actor { return &m.Actors })
	ActorMovies   = MovieCast.Reverse(func(a *Actor) *[]*Movie { return &a.Movies })
	ActorStuntman = relation.HasOne(Stuntmen.ActorID,
		func(a *Actor) **Stuntman { return &a.Stuntman })
	ActorContacts = relation.HasMany(Contacts.ActorID,
		func(a *Actor) *[]*ContactDetails { return &a.Contacts })
)

// Model is the schema: every table, in any order (CreateAll and DropAll
// sort them by their foreign keys), and what deleting rows through a
// handle bound to it does. An actor's stuntman and contact details go with
// him (OnDelete with mapped.Cascade, also their foreign keys' ON DELETE in
// Model.CreateAll), and deleting a movie or an actor deletes its rows of
// movies_actors (Links).
var Model = model.MustNew(
	model.Tables(Movies.Table, Actors.Table, MovieActors.Table, Stuntmen.Table, Contacts.Table),
	model.OnDelete(ActorStuntman, mapped.Cascade),
	model.OnDelete(ActorContacts, mapped.Cascade),
	model.Links(MovieCast),
)

func main() { cli.Main(run) }

// run is the tour itself, writing what it sees to out.
func run(ctx context.Context, db dialect.DB, out io.Writer) error {
	p := cli.Printer{W: out}
	// The model acts through the handle bound to it.
	db = Model.Bind(db)

	// Start from a clean slate so the program can be run again.
	if err := Model.DropAll(ctx, db); err != nil {
		return err
	}
	if err := Model.CreateAll(ctx, db); err != nil {
		return err
	}
	if err := seed(ctx, db); err != nil {
		return err
	}
	movies := repo.New(db, Movies.Table)
	actors := repo.New(db, Actors.Table)

	// Movies released after a date: a condition on a time column.
	recent, err := movies.Where(Movies.Released.Gt(date(2010, 1, 1))).OrderBy(Movies.Released.Asc()).All(ctx)
	if err != nil {
		return err
	}
	p.Println("movies released after 2010:")
	for _, m := range recent {
		p.Printf("  %s  %s\n", day(m.Released), m.Title)
	}

	// Every movie with its cast, loaded eagerly: one query for the movies,
	// one for the actors of all of them (joined with movies_actors).
	all, err := movies.Load(MovieCast.OrderBy(Actors.Name.Asc())).OrderBy(Movies.Released.Asc()).All(ctx)
	if err != nil {
		return err
	}
	p.Println("casts:")
	for _, m := range all {
		p.Printf("  %-20s %s\n", m.Title, names(m.Actors, func(a *Actor) string { return a.Name }))
	}

	// The movies of one actor: the reverse relation, fetched on demand for
	// a row already at hand.
	dwayne, err := actors.Where(Actors.Name.Eq("Dwayne Johnson")).One(ctx)
	if err != nil {
		return err
	}
	films, err := ActorMovies.OrderBy(Movies.Released.Asc()).Fetch(ctx, db, dwayne)
	if err != nil {
		return err
	}
	p.Printf("movies of %s: %s\n", dwayne.Name, names(films, func(m *Movie) string { return m.Title }))

	// Conditions through relations are EXISTS subqueries, typed on the
	// actor: which actors have a stuntman (Vin Diesel has none), and which
	// an active one?
	doubled, err := actors.Where(ActorStuntman.Has()).Load(ActorStuntman).OrderBy(Actors.Name.Asc()).All(ctx)
	if err != nil {
		return err
	}
	p.Println("actors with a stuntman:")
	for _, a := range doubled {
		p.Printf("  %-16s %s (active: %t)\n", a.Name, a.Stuntman.Name, a.Stuntman.Active)
	}
	active, err := actors.Where(ActorStuntman.Has(Stuntmen.Active.Eq(true))).OrderBy(Actors.Name.Asc()).All(ctx)
	if err != nil {
		return err
	}
	p.Println("actors with an active stuntman:", names(active, func(a *Actor) string { return a.Name }))

	// Any: actors with some contact detail in Glendale, whatever the case.
	glendale, err := actors.Where(ActorContacts.Any(Contacts.Address.ILike("%glendale%"))).
		Load(ActorContacts.OrderBy(Contacts.PhoneNumber.Asc())).
		OrderBy(Actors.Name.Asc()).
		All(ctx)
	if err != nil {
		return err
	}
	p.Println("actors living in Glendale:")
	for _, a := range glendale {
		p.Printf("  %s: %s\n", a.Name, names(a.Contacts, func(c *ContactDetails) string {
			return c.PhoneNumber + " (" + c.Address + ")"
		}))
	}

	// A typed projection joined through the relation: rows of (title,
	// name), with movies_actors joined in between.
	pairs, err := query.Select2(Movies.Title, Actors.Name).
		Join(MovieCast).
		Where(Actors.Name.HasPrefix("M")).
		OrderBy(Movies.Title.Asc(), Actors.Name.Asc()).
		All(ctx, db)
	if err != nil {
		return err
	}
	p.Println("roles of actors whose name starts with M:")
	for _, r := range pairs {
		p.Printf("  %-20s %s\n", r.V1, r.V2)
	}

	// Link and unlink write rows of movies_actors, SQLAlchemy's
	// movie.actors.append(actor) and .remove(actor), and update the slice
	// when it was loaded. Vin Diesel joins the cast of Furious 7, and that
	// of Pain & Gain by mistake, which Unlink takes back.
	vin, err := actors.Where(Actors.Name.Eq("Vin Diesel")).One(ctx)
	if err != nil {
		return err
	}
	furious, err := movies.Where(Movies.Title.Eq("Furious 7")).Load(MovieCast.OrderBy(Actors.Name.Asc())).One(ctx)
	if err != nil {
		return err
	}
	if err := repo.Link(ctx, db, MovieCast, furious, vin); err != nil {
		return err
	}
	p.Printf("cast of %s: %s\n", furious.Title, names(furious.Actors, func(a *Actor) string { return a.Name }))
	painAndGain, err := movies.Where(Movies.Title.Eq("Pain & Gain")).One(ctx)
	if err != nil {
		return err
	}
	if err := repo.Link(ctx, db, ActorMovies, vin, painAndGain); err != nil {
		return err
	}
	if err := printMovies(ctx, p, db, vin); err != nil {
		return err
	}
	if err := repo.Unlink(ctx, db, ActorMovies, vin, painAndGain); err != nil {
		return err
	}
	return printMovies(ctx, p, db, vin)
}

// seed inserts the tutorial's rows. Keys come back from RETURNING, and
// Link writes the association rows from the rows' keys.
func seed(ctx context.Context, db dialect.DB) error {
	bourne := &Movie{Title: "The Bourne Identity", Released: date(2002, 10, 11)}
	furious := &Movie{Title: "Furious 7", Released: date(2015, 4, 2)}
	painAndGain := &Movie{Title: "Pain & Gain", Released: date(2013, 8, 23)}
	if err := repo.New(db, Movies.Table).InsertMany(ctx, []*Movie{bourne, furious, painAndGain}); err != nil {
		return err
	}
	matt := &Actor{Name: "Matt Damon"}
	dwayne := &Actor{Name: "Dwayne Johnson"}
	mark := &Actor{Name: "Mark Wahlberg"}
	vin := &Actor{Name: "Vin Diesel"}
	if err := repo.New(db, Actors.Table).InsertMany(ctx, []*Actor{matt, dwayne, mark, vin}); err != nil {
		return err
	}
	for _, cast := range []struct {
		movie  *Movie
		actors []*Actor
	}{{bourne, []*Actor{matt}}, {furious, []*Actor{dwayne}}, {painAndGain, []*Actor{dwayne, mark}}} {
		if err := repo.Link(ctx, db, MovieCast, cast.movie, cast.actors...); err != nil {
			return err
		}
	}
	err := repo.New(db, Stuntmen.Table).InsertMany(ctx, []*Stuntman{
		{Name: "John Doe", Active: true, ActorID: matt.ID},
		{Name: "John Roe", Active: true, ActorID: dwayne.ID},
		{Name: "Richard Roe", Active: false, ActorID: mark.ID},
	})
	if err != nil {
		return err
	}
	return repo.New(db, Contacts.Table).InsertMany(ctx, []*ContactDetails{
		{PhoneNumber: "415 555 2671", Address: "Burbank, CA", ActorID: dwayne.ID},
		{PhoneNumber: "423 555 5623", Address: "Glendale, CA", ActorID: dwayne.ID},
		{PhoneNumber: "421 444 2323", Address: "West Hollywood, CA", ActorID: mark.ID},
	})
}

// printMovies reads an actor's movies afresh and prints them.
func printMovies(ctx context.Context, p cli.Printer, db dialect.DB, a *Actor) error {
	ms, err := ActorMovies.OrderBy(Movies.Released.Asc()).Fetch(ctx, db, a)
	if err != nil {
		return err
	}
	p.Printf("movies of %s: %s\n", a.Name, names(ms, func(m *Movie) string { return m.Title }))
	return nil
}

// date is midnight UTC of a day.
func date(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}

// day formats a time as its UTC date. genrepo reads times back in UTC on
// both dialects; UTC also makes a time built elsewhere safe to print.
func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// names joins the names of rows, or says there are none.
func names[T any](rows []*T, name func(*T) string) string {
	if len(rows) == 0 {
		return "(none)"
	}
	s := make([]string, len(rows))
	for i, r := range rows {
		s[i] = name(r)
	}
	return strings.Join(s, ", ")
}
