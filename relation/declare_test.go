package relation_test

import (
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/relation"
)

// TestMisconfiguration checks that a relation declared over the wrong
// columns panics when it is declared, naming what is wrong, rather than
// failing at its first query.
func TestMisconfiguration(t *testing.T) {
	// A second association table of the same Go type (with another type
	// the mix does not compile).
	otherLinks := mapped.Define("movie_actor_other", func(t *mapped.Table[movieActor], l *movieActor) movieActorTable {
		return movieActorTable{Table: t,
			MovieID: mapped.ForeignKey(t, "movie_id", &l.MovieID, movies.ID, mapped.InPrimaryKey()),
			ActorID: mapped.ForeignKey(t, "actor_id", &l.ActorID, actors.ID, mapped.InPrimaryKey()),
		}
	})
	albumsField := func(a *artist) *[]*album { return &a.Albums }
	tracksField := func(a *artist) *[]*track { return &a.Tracks }
	castField := func(m *movie) *[]*actor { return &m.Actors }
	// A declaration registers nothing (no delete hooks any more): the
	// tables it names stay as they were, refused or not.
	ddl := func() string {
		stmts, err := mapped.CreateSQL(sqlite.Dialect(), artists.Table, albums.Table, tracks.Table, employees.Table,
			people.Table, phones.Table, movies.Table, actors.Table, movieActors.Table, otherLinks.Table)
		if err != nil {
			t.Fatalf("CreateSQL: %v", err)
		}
		return strings.Join(stmts, "\n")
	}
	before := ddl()

	for _, c := range []struct {
		name    string
		declare func()
		want    []string
	}{
		{"HasMany: foreign key of another table", func() { relation.HasMany(artists.ID, tracks.AlbumID, tracksField) },
			[]string{"relation: track.album_id references album.id, not artist.id"}},
		{"HasManyNullable: foreign key of another table", func() {
			relation.HasManyNullable(artists.ID, employees.ManagerID, func(*artist) *[]*employee { return nil })
		}, []string{"employee.manager_id references employee.id, not artist.id"}},
		{"BelongsTo: foreign key of another table", func() {
			relation.BelongsTo(tracks.AlbumID, artists.ID, func(tr *track) **artist { return &tr.Artist })
		}, []string{"track.album_id references album.id, not artist.id"}},
		{"BelongsToNullable: foreign key of another table", func() {
			relation.BelongsToNullable(employees.ManagerID, artists.ID, func(*employee) **artist { return nil })
		}, []string{"employee.manager_id references employee.id, not artist.id"}},
		{"HasOne: foreign key of another table", func() {
			relation.HasOne(artists.ID, phones.PersonID, func(*artist) **phone { return nil })
		}, []string{"phone.person_id references person.id, not artist.id"}},
		{"HasMany: a key column, not a foreign key", func() { relation.HasMany(artists.ID, tracks.ID, tracksField) },
			[]string{"relation: track.id is not a foreign key (declare it with mapped.ForeignKey)"}},
		{"HasMany: the parent's own key", func() {
			relation.HasMany(artists.ID, artists.ID, func(a *artist) *[]*artist { return nil })
		}, []string{"artist.id is not a foreign key"}},
		{"BelongsTo: not a foreign key", func() {
			relation.BelongsTo(albums.ID, artists.ID, func(a *album) **artist { return &a.Artist })
		}, []string{"album.id is not a foreign key"}},
		{"HasOne: foreign key not unique", func() {
			relation.HasOne(artists.ID, albums.ArtistID, func(*artist) **album { return nil })
		}, []string{"relation: album.artist_id: a one-to-one foreign key must be unique (mapped.Unique())"}},
		{"ManyToMany: foreign keys of two tables", func() {
			relation.ManyToManyThrough(movies.ID, movieActors.MovieID, otherLinks.ActorID, actors.ID, castField)
		}, []string{"many-to-many movie ↔ actor", "the foreign keys belong to movie_actor and movie_actor_other, not to one association table"}},
		{"ManyToMany: foreign keys of two tables, the other way", func() {
			relation.ManyToManyThrough(movies.ID, otherLinks.MovieID, movieActors.ActorID, actors.ID, castField)
		}, []string{"the foreign keys belong to movie_actor_other and movie_actor"}},
		{"ManyToMany: keys swapped", func() {
			relation.ManyToManyThrough(movies.ID, movieActors.ActorID, movieActors.MovieID, actors.ID, castField)
		}, []string{"movie_actor.actor_id references actor.id, not movie.id"}},
		{"ManyToMany: second key of another table", func() {
			relation.ManyToManyThrough(movies.ID, movieActors.MovieID, movieActors.MovieID, actors.ID, castField)
		}, []string{"movie_actor.movie_id references movie.id, not actor.id"}},
		{"HasMany: nil field", func() { relation.HasMany(artists.ID, albums.ArtistID, nil) }, []string{"nil field function"}},
		{"BelongsTo: nil field", func() { relation.BelongsTo[album, artist](albums.ArtistID, artists.ID, nil) },
			[]string{"nil field function"}},
		{"HasOne: nil field", func() { relation.HasOne[person, phone](people.ID, phones.PersonID, nil) },
			[]string{"nil field function"}},
		{"ManyToMany: nil field", func() {
			relation.ManyToManyThrough[movie, movieActor, actor](movies.ID, movieActors.MovieID, movieActors.ActorID, actors.ID, nil)
		}, []string{"nil field function"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantPanic(t, c.declare, c.want...)
		})
	}
	if after := ddl(); after != before {
		t.Errorf("the tables after the refused declarations:\n%s\nwant as before:\n%s", after, before)
	}
	// A declaration that is right does not panic, and changes nothing
	// either.
	if msg := panicMessage(func() { relation.HasMany(artists.ID, albums.ArtistID, albumsField) }); msg != "" {
		t.Errorf("a correct declaration panicked: %s", msg)
	}
	if after := ddl(); after != before {
		t.Errorf("the tables after a declaration:\n%s\nwant as before:\n%s", after, before)
	}
}
