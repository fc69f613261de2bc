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
			MovieID: mapped.ForeignKey(t, &l.MovieID, movies.ID, mapped.InPrimaryKey()),
			ActorID: mapped.ForeignKey(t, &l.ActorID, actors.ID, mapped.InPrimaryKey()),
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
		{"HasMany: foreign key of another table", func() { relation.HasMany(tracks.AlbumID, tracksField) },
			[]string{"relation: track.album_id references album, whose rows are not relation_test.artist"}},
		{"HasManyNullable: foreign key of another table", func() {
			relation.HasManyNullable(employees.ManagerID, func(*artist) *[]*employee { return nil })
		}, []string{"employee.manager_id references employee, whose rows are not relation_test.artist"}},
		{"BelongsTo: foreign key of another table", func() {
			relation.BelongsTo(tracks.AlbumID, func(tr *track) **artist { return &tr.Artist })
		}, []string{"track.album_id references album, whose rows are not relation_test.artist"}},
		{"BelongsToNullable: foreign key of another table", func() {
			relation.BelongsToNullable(employees.ManagerID, func(*employee) **artist { return nil })
		}, []string{"employee.manager_id references employee, whose rows are not relation_test.artist"}},
		{"HasOne: foreign key of another table", func() {
			relation.HasOne(phones.PersonID, func(*artist) **phone { return nil })
		}, []string{"phone.person_id references person, whose rows are not relation_test.artist"}},
		{"HasMany: a key column, not a foreign key", func() { relation.HasMany(tracks.ID, tracksField) },
			[]string{"relation: track.id is not a foreign key (declare it with mapped.ForeignKey)"}},
		{"HasMany: the parent's own key", func() {
			relation.HasMany(artists.ID, func(a *artist) *[]*artist { return nil })
		}, []string{"artist.id is not a foreign key"}},
		{"BelongsTo: not a foreign key", func() {
			relation.BelongsTo(albums.ID, func(a *album) **artist { return &a.Artist })
		}, []string{"album.id is not a foreign key"}},
		{"HasOne: foreign key not unique", func() {
			relation.HasOne(albums.ArtistID, func(*artist) **album { return nil })
		}, []string{"relation: album.artist_id: a one-to-one foreign key must be unique (mapped.Unique())"}},
		{"ManyToMany: foreign keys of two tables", func() {
			relation.ManyToManyThrough(movieActors.MovieID, otherLinks.ActorID, castField)
		}, []string{"many-to-many movie ↔ actor", "the foreign keys belong to movie_actor and movie_actor_other, not to one association table"}},
		{"ManyToMany: foreign keys of two tables, the other way", func() {
			relation.ManyToManyThrough(otherLinks.MovieID, movieActors.ActorID, castField)
		}, []string{"the foreign keys belong to movie_actor_other and movie_actor"}},
		{"ManyToMany: keys swapped", func() {
			relation.ManyToManyThrough(movieActors.ActorID, movieActors.MovieID, castField)
		}, []string{"movie_actor.actor_id references actor, whose rows are not relation_test.movie"}},
		{"ManyToMany: second key of another table", func() {
			relation.ManyToManyThrough(movieActors.MovieID, movieActors.MovieID, castField)
		}, []string{"movie_actor.movie_id references movie, whose rows are not relation_test.actor"}},
		{"HasMany: nil field", func() { relation.HasMany[artist](albums.ArtistID, nil) }, []string{"nil field function"}},
		{"BelongsTo: nil field", func() { relation.BelongsTo[album, artist](albums.ArtistID, nil) },
			[]string{"nil field function"}},
		{"HasOne: nil field", func() { relation.HasOne[person, phone](phones.PersonID, nil) },
			[]string{"nil field function"}},
		{"ManyToMany: nil field", func() {
			relation.ManyToManyThrough[movie, movieActor, actor](movieActors.MovieID, movieActors.ActorID, nil)
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
	if msg := panicMessage(func() { relation.HasMany(albums.ArtistID, albumsField) }); msg != "" {
		t.Errorf("a correct declaration panicked: %s", msg)
	}
	if after := ddl(); after != before {
		t.Errorf("the tables after a declaration:\n%s\nwant as before:\n%s", after, before)
	}
}
