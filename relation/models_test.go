package relation_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

// The models of the suite. Each schema is used by the scenarios of one
// topic. What the relations do when rows are deleted or collections saved
// is declared once, in testModel below, and happens on a handle bound to
// it (testModel.Bind); the tables and relations themselves declare none.

// Music: artists, their albums and tracks. A track references both its
// album and its artist, so that an artist's tracks are a relation of their
// own ("the 3 newest tracks of each artist").
type artist struct {
	ID     int64
	Name   string
	Albums []*album
	Tracks []*track
}

type album struct {
	ID       int64
	ArtistID int64
	Title    string
	Year     int
	Artist   *artist
	Tracks   []*track
}

type track struct {
	ID       int64
	AlbumID  int64
	ArtistID int64
	Title    string
	Released int // a day number: larger is newer
	Album    *album
	Artist   *artist
}

type artistTable struct {
	*mapped.Table[artist]
	ID   mapped.Column[artist, int64]
	Name mapped.TextColumn[artist, string]
}

type albumTable struct {
	*mapped.Table[album]
	ID       mapped.Column[album, int64]
	ArtistID mapped.Column[album, int64]
	Title    mapped.TextColumn[album, string]
	Year     mapped.Column[album, int]
}

type trackTable struct {
	*mapped.Table[track]
	ID       mapped.Column[track, int64]
	AlbumID  mapped.Column[track, int64]
	ArtistID mapped.Column[track, int64]
	Title    mapped.TextColumn[track, string]
	Released mapped.Column[track, int]
}

var (
	artists = mapped.Define("artist", func(t *mapped.Table[artist], a *artist) artistTable {
		return artistTable{Table: t,
			ID:   mapped.PrimaryKey(t, &a.ID),
			Name: mapped.Text(t, &a.Name),
		}
	})
	albums = mapped.Define("album", func(t *mapped.Table[album], a *album) albumTable {
		return albumTable{Table: t,
			ID:       mapped.PrimaryKey(t, &a.ID),
			ArtistID: mapped.ForeignKey(t, &a.ArtistID, artists.ID),
			Title:    mapped.Text(t, &a.Title),
			Year:     mapped.Col(t, &a.Year),
		}
	})
	tracks = mapped.Define("track", func(t *mapped.Table[track], tr *track) trackTable {
		return trackTable{Table: t,
			ID:       mapped.PrimaryKey(t, &tr.ID),
			AlbumID:  mapped.ForeignKey(t, &tr.AlbumID, albums.ID),
			ArtistID: mapped.ForeignKey(t, &tr.ArtistID, artists.ID),
			Title:    mapped.Text(t, &tr.Title),
			Released: mapped.Col(t, &tr.Released),
		}
	})

	artistAlbums = relation.HasMany(albums.ArtistID, func(a *artist) *[]*album { return &a.Albums }).
			Back(func(al *album) **artist { return &al.Artist })
	albumTracks = relation.HasMany(tracks.AlbumID, func(a *album) *[]*track { return &a.Tracks }).
			Back(func(tr *track) **album { return &tr.Album })
	artistTracks = relation.HasMany(tracks.ArtistID, func(a *artist) *[]*track { return &a.Tracks })
	albumArtist  = relation.BelongsTo(albums.ArtistID, func(a *album) **artist { return &a.Artist })
	trackAlbum   = relation.BelongsTo(tracks.AlbumID, func(tr *track) **album { return &tr.Album })
	trackArtist  = relation.BelongsTo(tracks.ArtistID, func(tr *track) **artist { return &tr.Artist })
)

var musicTables = []mapped.Schema{artists.Table, albums.Table, tracks.Table}

// music is the seeded catalogue: rows by name, with their keys.
type music struct {
	artists map[string]*artist
	albums  map[string]*album
	tracks  map[string]*track
}

// seedMusic creates the music tables and fills them. Doors has no album;
// Released orders every artist's tracks.
func seedMusic(t testing.TB, db dialect.DB) *music {
	t.Helper()
	create(t, db, musicTables...)
	m := &music{artists: map[string]*artist{}, albums: map[string]*album{}, tracks: map[string]*track{}}
	for _, name := range []string{"ABBA", "Beatles", "Cure", "Doors"} {
		m.artists[name] = &artist{Name: name}
	}
	insertMany(t, db, artists.Table, values(m.artists, "ABBA", "Beatles", "Cure", "Doors"))
	catalogue := []struct {
		artist, album string
		year          int
		tracks        []string
	}{
		{"ABBA", "Arrival", 1976, []string{"Dancing Queen", "Money, Money, Money"}},
		{"ABBA", "Voulez-Vous", 1979, []string{"Chiquitita", "Does Your Mother Know", "I Have a Dream"}},
		{"Beatles", "Please Please Me", 1963, []string{"Love Me Do"}},
		{"Beatles", "Help!", 1965, []string{"Help!", "Yesterday"}},
		{"Beatles", "Abbey Road", 1969, []string{"Something", "Come Together", "Here Comes the Sun"}},
		{"Beatles", "Let It Be", 1970, []string{"Let It Be", "Get Back"}},
		{"Cure", "Disintegration", 1989, []string{"Lovesong", "Pictures of You"}},
	}
	var albumRows []*album
	for _, c := range catalogue {
		a := &album{ArtistID: m.artists[c.artist].ID, Title: c.album, Year: c.year}
		m.albums[c.album] = a
		albumRows = append(albumRows, a)
	}
	insertMany(t, db, albums.Table, albumRows)
	var trackRows []*track
	day := map[string]int{}
	for _, c := range catalogue {
		for _, title := range c.tracks {
			day[c.artist]++
			tr := &track{AlbumID: m.albums[c.album].ID, ArtistID: m.artists[c.artist].ID, Title: title, Released: day[c.artist]}
			m.tracks[title] = tr
			trackRows = append(trackRows, tr)
		}
	}
	insertMany(t, db, tracks.Table, trackRows)
	return m
}

// One-to-one: a person and the mobile phone whose unique foreign key
// references them. Deleting a person deletes the phone.
type person struct {
	ID    int64
	Name  string
	Phone *phone
}

type phone struct {
	ID       int64
	PersonID int64
	Number   string
	Person   *person
}

type personTable struct {
	*mapped.Table[person]
	ID   mapped.Column[person, int64]
	Name mapped.TextColumn[person, string]
}

type phoneTable struct {
	*mapped.Table[phone]
	ID       mapped.Column[phone, int64]
	PersonID mapped.Column[phone, int64]
	Number   mapped.TextColumn[phone, string]
}

var (
	people = mapped.Define("person", func(t *mapped.Table[person], p *person) personTable {
		return personTable{Table: t, ID: mapped.PrimaryKey(t, &p.ID), Name: mapped.Text(t, &p.Name)}
	})
	phones = mapped.Define("phone", func(t *mapped.Table[phone], p *phone) phoneTable {
		return phoneTable{Table: t,
			ID:       mapped.PrimaryKey(t, &p.ID),
			PersonID: mapped.ForeignKey(t, &p.PersonID, people.ID, mapped.Unique()),
			Number:   mapped.Text(t, &p.Number),
		}
	})
	personPhone = relation.HasOne(phones.PersonID, func(p *person) **phone { return &p.Phone }).
			Back(func(ph *phone) **person { return &ph.Person })
	phoneOwner = relation.BelongsTo(phones.PersonID, func(ph *phone) **person { return &ph.Person }).
			BackOne(func(p *person) **phone { return &p.Phone })
)

// Many-to-many: movies and actors through movie_actor, whose key is the
// pair of foreign keys.
type movie struct {
	ID     int64
	Title  string
	Year   int
	Actors []*actor
}

type actor struct {
	ID     int64
	Name   string
	Movies []*movie
}

type movieActor struct {
	MovieID int64
	ActorID int64
}

type movieTable struct {
	*mapped.Table[movie]
	ID    mapped.Column[movie, int64]
	Title mapped.TextColumn[movie, string]
	Year  mapped.Column[movie, int]
}

type actorTable struct {
	*mapped.Table[actor]
	ID   mapped.Column[actor, int64]
	Name mapped.TextColumn[actor, string]
}

type movieActorTable struct {
	*mapped.Table[movieActor]
	MovieID mapped.Column[movieActor, int64]
	ActorID mapped.Column[movieActor, int64]
}

var (
	movies = mapped.Define("movie", func(t *mapped.Table[movie], m *movie) movieTable {
		return movieTable{Table: t,
			ID:    mapped.PrimaryKey(t, &m.ID),
			Title: mapped.Text(t, &m.Title),
			Year:  mapped.Col(t, &m.Year),
		}
	})
	actors = mapped.Define("actor", func(t *mapped.Table[actor], a *actor) actorTable {
		return actorTable{Table: t, ID: mapped.PrimaryKey(t, &a.ID), Name: mapped.Text(t, &a.Name)}
	})
	movieActors = mapped.Define("movie_actor", func(t *mapped.Table[movieActor], l *movieActor) movieActorTable {
		return movieActorTable{Table: t,
			MovieID: mapped.ForeignKey(t, &l.MovieID, movies.ID, mapped.InPrimaryKey()),
			ActorID: mapped.ForeignKey(t, &l.ActorID, actors.ID, mapped.InPrimaryKey()),
		}
	})
	movieCast = relation.ManyToManyThrough(movieActors.MovieID, movieActors.ActorID,
		func(m *movie) *[]*actor { return &m.Actors })
	actorFilms = relation.ManyToManyThrough(movieActors.ActorID, movieActors.MovieID,
		func(a *actor) *[]*movie { return &a.Movies })
)

// cinema is the seeded movie catalogue.
type cinema struct {
	movies map[string]*movie
	actors map[string]*actor
}

// seedCinema creates the movie tables and links: Keanu is in two movies,
// Hugo in two, Laurence in two; Nobody is in none and Empty has no cast.
func seedCinema(t testing.TB, db dialect.DB) *cinema {
	t.Helper()
	create(t, db, movies.Table, actors.Table, movieActors.Table)
	c := &cinema{movies: map[string]*movie{}, actors: map[string]*actor{}}
	for i, title := range []string{"The Matrix", "John Wick", "Cloud Atlas", "Empty"} {
		c.movies[title] = &movie{Title: title, Year: 1999 + 5*i}
	}
	for _, name := range []string{"Keanu", "Carrie-Anne", "Hugo", "Laurence", "Nobody"} {
		c.actors[name] = &actor{Name: name}
	}
	insertMany(t, db, movies.Table, values(c.movies, "The Matrix", "John Wick", "Cloud Atlas", "Empty"))
	insertMany(t, db, actors.Table, values(c.actors, "Keanu", "Carrie-Anne", "Hugo", "Laurence", "Nobody"))
	cast := map[string][]string{
		"The Matrix":  {"Keanu", "Carrie-Anne", "Hugo", "Laurence"},
		"John Wick":   {"Keanu", "Laurence"},
		"Cloud Atlas": {"Hugo"},
	}
	var links []*movieActor
	for _, title := range []string{"The Matrix", "John Wick", "Cloud Atlas"} {
		for _, name := range cast[title] {
			links = append(links, &movieActor{MovieID: c.movies[title].ID, ActorID: c.actors[name].ID})
		}
	}
	insertMany(t, db, movieActors.Table, links)
	return c
}

// Self-referential: employees and their managers. Deleting a manager sets
// the reports' manager to NULL.
type employee struct {
	ID        int64
	Name      string
	ManagerID *int64
	Manager   *employee
	Reports   []*employee
}

type employeeTable struct {
	*mapped.Table[employee]
	ID        mapped.Column[employee, int64]
	Name      mapped.TextColumn[employee, string]
	ManagerID mapped.NullableColumn[employee, int64]
}

var (
	employees = mapped.Define("employee", func(t *mapped.Table[employee], e *employee) employeeTable {
		id := mapped.PrimaryKey(t, &e.ID)
		return employeeTable{Table: t, ID: id,
			Name:      mapped.Text(t, &e.Name),
			ManagerID: mapped.NullableForeignKey(t, &e.ManagerID, id),
		}
	})
	employeeManager = relation.BelongsToNullable(employees.ManagerID,
		func(e *employee) **employee { return &e.Manager })
	employeeReports = relation.HasManyNullable(employees.ManagerID,
		func(e *employee) *[]*employee { return &e.Reports }).
		Back(func(e *employee) **employee { return &e.Manager })
)

// seedStaff creates the employee table with this chart:
//
//	Ada ─┬─ Bob ─┬─ Dan
//	     │       └─ Eve
//	     └─ Cy
//	Zed (no manager, no reports)
func seedStaff(t testing.TB, db dialect.DB) map[string]*employee {
	t.Helper()
	create(t, db, employees.Table)
	staff := map[string]*employee{}
	for _, e := range []struct{ name, manager string }{
		{"Ada", ""}, {"Bob", "Ada"}, {"Cy", "Ada"}, {"Dan", "Bob"}, {"Eve", "Bob"}, {"Zed", ""},
	} {
		row := &employee{Name: e.name}
		if e.manager != "" {
			id := staff[e.manager].ID
			row.ManagerID = &id
		}
		insertMany(t, db, employees.Table, []*employee{row})
		staff[e.name] = row
	}
	return staff
}

// testModel is the suite's model: every table the scenarios create, and
// what deleting rows and saving collections does through a handle bound to
// it. The order of the rules of one parent table is the order their
// cascades run in (the warehouse's crates before its shelves).
var testModel = model.MustNew(
	model.Tables(slices.Concat(musicTables, treeTables, storeTables, []mapped.Schema{
		people.Table, phones.Table,
		movies.Table, actors.Table, movieActors.Table,
		employees.Table,
		categories.Table,
		students.Field().Table(), courses.Field().Table(), enrolments.Table, grades.Field().Table(),
		authors.Table, books.Table, chapters.Table, owners.Table, pets.Table,
		wideParents.Table, wideChildren.Table, carts.Table, cartItems.Table,
		crews.Table, sailors.Table,
		shifts.Table, tasks.Table, workers.Table, shiftWorkers.Table,
		rvMovies.Field().Table(), rvActors.Field().Table(), rvCastMovie.Field().Table(),
	})...),
	// Music: an artist's albums and tracks go with it, an album's tracks
	// with it.
	model.OnDelete(artistAlbums, mapped.Cascade),
	model.OnDelete(albumTracks, mapped.Cascade),
	model.OnDelete(artistTracks, mapped.Cascade),
	// A person's phone goes with them.
	model.OnDelete(personPhone, mapped.Cascade),
	// A movie's or an actor's association rows go with it.
	model.Links(movieCast),
	model.Links(rvMovieCast),
	model.Links(shiftCrew),
	// A manager's reports are left without one.
	model.OnDelete(employeeReports, mapped.SetNull),
	// Each level of the tree goes with its parent.
	model.OnDelete(tree12, mapped.Cascade),
	model.OnDelete(tree23, mapped.Cascade),
	model.OnDelete(tree34, mapped.Cascade),
	model.OnDelete(tree45, mapped.Cascade),
	// A warehouse's crates and shelves go with it, crates first; a shelf
	// holding boxes may not be deleted.
	model.OnDelete(warehouseCrates, mapped.Cascade),
	model.OnDelete(warehouseShelves, mapped.Cascade),
	model.OnDelete(shelfBoxes, mapped.Restrict),
	// A category's subtree goes with it.
	model.OnDelete(subcategories, mapped.Cascade),
	// An enrolment's grades go with it.
	model.OnDelete(enrolmentGrades, mapped.Cascade),
	// A book taken out of its author's collection is deleted, and its
	// chapters with it.
	model.DeleteOrphans(authorBooks),
	model.OnDelete(bookChapters, mapped.Cascade),
	model.OnDelete(cartContents, mapped.Cascade),
	model.OnDelete(crewSailors, mapped.Cascade),
)

// Helpers.

// create creates tables in db, failing the test on error. They are
// testModel's tables, created as its CreateAll writes them: each foreign
// key's ON DELETE as the model's cascades make it.
func create(t testing.TB, db dialect.DB, tables ...mapped.Schema) {
	t.Helper()
	if err := testModel.CreateAll(context.Background(), db, tables...); err != nil {
		t.Fatalf("CreateAll: %v", err)
	}
}

// insertMany inserts rows with InsertMany, failing the test on error.
func insertMany[T any](t testing.TB, db dialect.DB, table *mapped.Table[T], rows []*T) {
	t.Helper()
	if err := repo.New(db, table).InsertMany(context.Background(), rows); err != nil {
		t.Fatalf("InsertMany %s: %v", table, err)
	}
}

// values returns the map's values for keys, in the order of keys.
func values[V any](m map[string]*V, keys ...string) []*V {
	out := make([]*V, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// count returns the number of rows of table in db.
func count[T any](t testing.TB, db dialect.Executor, table *mapped.Table[T]) int64 {
	t.Helper()
	n, err := repo.New(db, table).Count(context.Background())
	if err != nil {
		t.Fatalf("Count %s: %v", table, err)
	}
	return n
}

// must fails the test at once on an error.
func must(t testing.TB, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// names maps rows to their names (or titles), in order.
func names[T any](rows []*T, name func(*T) string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = name(r)
	}
	return out
}

func artistName(a *artist) string     { return a.Name }
func albumTitle(a *album) string      { return a.Title }
func trackTitle(tr *track) string     { return tr.Title }
func actorName(a *actor) string       { return a.Name }
func movieTitle(m *movie) string      { return m.Title }
func employeeName(e *employee) string { return e.Name }

// sorted returns a sorted copy of s.
func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// wantNames fails the test unless got equals want.
func wantNames(t testing.TB, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
}

// panicMessage runs fn and returns the message of its panic, or "" when it
// did not panic.
func panicMessage(fn func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	fn()
	return ""
}

// wantPanic fails the test unless fn panics with a message containing
// every one of parts.
func wantPanic(t testing.TB, fn func(), parts ...string) {
	t.Helper()
	msg := panicMessage(fn)
	if msg == "" {
		t.Errorf("no panic; want one saying %q", parts)
		return
	}
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Errorf("panic %q lacks %q", msg, p)
		}
	}
}

// Statement counting. A counter travels in the context of the calls it
// observes, so that scenarios running in parallel on both databases (and
// the statements of their setup) never mix.

type counterKey struct{}

// stmts counts the statements run with a context from counting.
type stmts struct {
	queries, execs, begins atomic.Int64
	mu                     sync.Mutex
	events                 []dialect.Event
}

// counting returns a context whose statements c counts.
func counting(ctx context.Context) (context.Context, *stmts) {
	c := &stmts{}
	return context.WithValue(ctx, counterKey{}, c), c
}

// countHook is the dialect hook that feeds the counter in a statement's
// context; open databases with it to count.
var countHook = dialect.WithHook(func(ctx context.Context, e dialect.Event) {
	c, ok := ctx.Value(counterKey{}).(*stmts)
	if !ok {
		return
	}
	switch e.Op {
	case dialect.OpQuery:
		c.queries.Add(1)
	case dialect.OpExec:
		c.execs.Add(1)
	case dialect.OpBegin:
		c.begins.Add(1)
	}
	c.mu.Lock()
	c.events = append(c.events, e)
	c.mu.Unlock()
})

// seen returns the events counted so far.
func (c *stmts) seen() []dialect.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.events)
}
