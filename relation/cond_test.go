package relation_test

import (
	"context"
	"errors"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// condCase is a condition through a relation and the rows it selects,
// sorted by name.
type condCase[T any] struct {
	name string
	cond query.Cond[T]
	want []string
}

// runConds runs each case as a query of table's repository, and as a
// count, on db.
func runConds[T any](t *testing.T, db dialect.DB, r *repo.Repo[T], name func(*T) string, cases []condCase[T]) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			rows, err := r.Where(c.cond).All(ctx)
			if err != nil {
				t.Fatalf("All: %v", err)
			}
			wantNames(t, "rows", sorted(names(rows, name)), c.want)
			n, err := r.Where(c.cond).Count(ctx)
			if err != nil || n != int64(len(c.want)) {
				t.Errorf("Count: got %d, %v; want %d", n, err, len(c.want))
			}
		})
	}
}

func TestHas(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		seedMusic(t, db)
		// TrackArtist.Has(...) is a condition on tracks.
		var onTracks query.Cond[track] = trackArtist.Has(artists.Name.Gt("B"))
		runConds(t, db, repo.New(db, tracks.Table), trackTitle, []condCase[track]{
			{"artist name after B", onTracks, []string{"Come Together", "Get Back", "Help!", "Here Comes the Sun",
				"Let It Be", "Love Me Do", "Lovesong", "Pictures of You", "Something", "Yesterday"}},
			{"two conditions on the parent", trackArtist.Has(artists.Name.Gt("B"), artists.Name.Lt("C")),
				[]string{"Come Together", "Get Back", "Help!", "Here Comes the Sun", "Let It Be", "Love Me Do", "Something", "Yesterday"}},
			{"no condition: the parent exists", trackArtist.Has(), []string{"Chiquitita", "Come Together", "Dancing Queen",
				"Does Your Mother Know", "Get Back", "Help!", "Here Comes the Sun", "I Have a Dream", "Let It Be",
				"Love Me Do", "Lovesong", "Money, Money, Money", "Pictures of You", "Something", "Yesterday"}},
			{"negated", query.Not(trackArtist.Has(artists.Name.Gt("B"))),
				[]string{"Chiquitita", "Dancing Queen", "Does Your Mother Know", "I Have a Dream", "Money, Money, Money"}},
			{"combined with the row's own condition", trackArtist.Has(artists.Name.Eq("Beatles")).And(tracks.Released.Ge(7)),
				[]string{"Get Back", "Let It Be"}},
			{"nested: the album's artist", trackAlbum.Has(albums.Year.Gt(1975), albumArtist.Has(artists.Name.Eq("ABBA"))),
				[]string{"Chiquitita", "Dancing Queen", "Does Your Mother Know", "I Have a Dream", "Money, Money, Money"}},
			{"or of two relations", query.Or(trackArtist.Has(artists.Name.Eq("Cure")), trackAlbum.Has(albums.Title.Eq("Help!"))),
				[]string{"Help!", "Lovesong", "Pictures of You", "Yesterday"}},
			{"nothing matches", trackArtist.Has(artists.Name.Eq("Doors")), []string{}},
		})
	})
}

func TestAny(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		seedMusic(t, db)
		// ArtistTracks.Any(...) is a condition on artists.
		var onArtists query.Cond[artist] = artistTracks.Any(tracks.Title.Like("%Love%"))
		runConds(t, db, repo.New(db, artists.Table), artistName, []condCase[artist]{
			{"a track like %Love%", onArtists, []string{"Beatles", "Cure"}},
			{"no condition: has a track", artistTracks.Any(), []string{"ABBA", "Beatles", "Cure"}},
			{"negated: no track", query.Not(artistTracks.Any()), []string{"Doors"}},
			{"not any like %Love%", artistTracks.Any(tracks.Title.Like("%Love%")).Not(), []string{"ABBA", "Doors"}},
			{"both conditions on one child", artistTracks.Any(tracks.Title.Like("%Love%"), tracks.Released.Ge(2)), []string{}},
			{"each condition on some child", artistTracks.Any(tracks.Title.Like("%Love%")).And(artistTracks.Any(tracks.Released.Ge(2))),
				[]string{"Beatles", "Cure"}},
			{"two children each matching one", artistTracks.Any(tracks.Title.Eq("Help!")).And(artistTracks.Any(tracks.Title.Eq("Get Back"))),
				[]string{"Beatles"}},
			{"nested: an album with a track", artistAlbums.Any(albums.Year.Lt(1970), albumTracks.Any(tracks.Title.HasPrefix("Here"))),
				[]string{"Beatles"}},
			{"with the row's own condition", artistAlbums.Any(albums.Year.Gt(1975)).And(artists.Name.Ne("ABBA")), []string{"Cure"}},
		})
	})
}

func TestSelfReferentialConditions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		seedStaff(t, db)
		runConds(t, db, repo.New(db, employees.Table), employeeName, []condCase[employee]{
			{"manager named Bob", employeeManager.Has(employees.Name.Eq("Bob")), []string{"Dan", "Eve"}},
			{"has a manager", employeeManager.Has(), []string{"Bob", "Cy", "Dan", "Eve"}},
			{"no manager", query.Not(employeeManager.Has()), []string{"Ada", "Zed"}},
			{"any report named Eve", employeeReports.Any(employees.Name.Eq("Eve")), []string{"Bob"}},
			{"any report", employeeReports.Any(), []string{"Ada", "Bob"}},
			{"no report", employeeReports.Any().Not(), []string{"Cy", "Dan", "Eve", "Zed"}},
			{"own name and the manager's", employees.Name.Gt("Dan").And(employeeManager.Has(employees.Name.Eq("Bob"))),
				[]string{"Eve"}},
			// Two levels of the same table: the inner subquery must
			// correlate with the outer one, not with the query's rows.
			{"manager's manager named Ada", employeeManager.Has(employeeManager.Has(employees.Name.Eq("Ada"))),
				[]string{"Dan", "Eve"}},
			{"a report with a report named Dan", employeeReports.Any(employeeReports.Any(employees.Name.Eq("Dan"))),
				[]string{"Ada"}},
			{"a report whose manager is Ada", employeeReports.Any(employeeManager.Has(employees.Name.Eq("Ada"))),
				[]string{"Ada"}},
			{"three levels up", employeeManager.Has(employeeManager.Has(employeeManager.Has())), []string{}},
		})
	})
}

func TestManyToManyAny(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		seedCinema(t, db)
		runConds(t, db, repo.New(db, movies.Table), movieTitle, []condCase[movie]{
			{"with Keanu", movieCast.Any(actors.Name.Eq("Keanu")), []string{"John Wick", "The Matrix"}},
			{"with anyone", movieCast.Any(), []string{"Cloud Atlas", "John Wick", "The Matrix"}},
			{"without cast", query.Not(movieCast.Any()), []string{"Empty"}},
			{"without Keanu", query.Not(movieCast.Any(actors.Name.Eq("Keanu"))), []string{"Cloud Atlas", "Empty"}},
			{"with Hugo and Keanu", movieCast.Any(actors.Name.Eq("Hugo")).And(movieCast.Any(actors.Name.Eq("Keanu"))),
				[]string{"The Matrix"}},
		})
		runConds(t, db, repo.New(db, actors.Table), actorName, []condCase[actor]{
			{"in a movie after 2000", actorFilms.Any(movies.Year.Gt(2000)), []string{"Hugo", "Keanu", "Laurence"}},
			{"in no movie", actorFilms.Any().Not(), []string{"Nobody"}},
			{"in a movie with Hugo", actorFilms.Any(movieCast.Any(actors.Name.Eq("Hugo"))),
				[]string{"Carrie-Anne", "Hugo", "Keanu", "Laurence"}},
		})
	})
}

// TestConditionsInBulkStatements uses relation conditions where repositories
// write UPDATE and DELETE statements.
func TestConditionsInBulkStatements(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		seedMusic(t, db)
		tr := repo.New(db, tracks.Table)
		n, err := tr.UpdateWhere(ctx, trackArtist.Has(artists.Name.Eq("Cure")), tracks.Released.Set(100))
		if err != nil || n != 2 {
			t.Fatalf("UpdateWhere: got %d, %v; want 2", n, err)
		}
		got, err := tr.Where(tracks.Released.Eq(100)).All(ctx)
		must(t, "read back", err)
		wantNames(t, "updated", sorted(names(got, trackTitle)), []string{"Lovesong", "Pictures of You"})

		emps := repo.New(db, employees.Table)
		seedStaff(t, db)
		// Everyone with no report, and whose manager is Bob: Dan and Eve.
		n, err = emps.DeleteWhere(ctx, employeeReports.Any().Not().And(employeeManager.Has(employees.Name.Eq("Bob"))))
		if err != nil || n != 2 {
			t.Fatalf("DeleteWhere: got %d, %v; want 2", n, err)
		}
		left, err := emps.All(ctx)
		must(t, "read back", err)
		wantNames(t, "left", sorted(names(left, employeeName)), []string{"Ada", "Bob", "Cy", "Zed"})
	})
}

// TestTextOpsThroughRelations: Contains, HasPrefix and HasSuffix keep
// comparing every byte inside the EXISTS subqueries of Has and Any, nested
// and aliased (self-referential) ones too. SQLite stores the NUL bytes;
// PostgreSQL refuses them, in the write and in the condition alike.
func TestTextOpsThroughRelations(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		m := seedMusic(t, db)
		staff := seedStaff(t, db)
		rename := func(err error) {
			t.Helper()
			if db.Dialect().Features().StrictText {
				if !errors.Is(err, dialect.ErrInvalidText) {
					t.Fatalf("storing a NUL byte: got %v, want ErrInvalidText", err)
				}
				return
			}
			must(t, "storing a NUL byte", err)
		}
		m.tracks["Lovesong"].Title = "Love\x00song"
		rename(repo.New(db, tracks.Table).Update(ctx, m.tracks["Lovesong"]))
		m.albums["Arrival"].Title = "Arr\x00ival"
		rename(repo.New(db, albums.Table).Update(ctx, m.albums["Arrival"]))
		staff["Bob"].Name = "Bo\x00b"
		rename(repo.New(db, employees.Table).Update(ctx, staff["Bob"]))
		if db.Dialect().Features().StrictText {
			_, err := repo.New(db, artists.Table).Where(artistTracks.Any(tracks.Title.Contains("\x00"))).All(ctx)
			if !errors.Is(err, dialect.ErrInvalidText) {
				t.Errorf("Any(Contains(NUL)): got %v, want ErrInvalidText", err)
			}
			return
		}
		runConds(t, db, repo.New(db, artists.Table), artistName, []condCase[artist]{
			{"any track containing NUL", artistTracks.Any(tracks.Title.Contains("\x00")), []string{"Cure"}},
			{"any track ending after the NUL", artistTracks.Any(tracks.Title.HasSuffix("song")), []string{"Cure"}},
			{"no track containing NUL", query.Not(artistTracks.Any(tracks.Title.Contains("\x00"))),
				[]string{"ABBA", "Beatles", "Doors"}},
			{"nested: an album with such a track", artistAlbums.Any(albumTracks.Any(tracks.Title.Contains("\x00s"))),
				[]string{"Cure"}},
		})
		runConds(t, db, repo.New(db, tracks.Table), trackTitle, []condCase[track]{
			{"album ending after the NUL", trackAlbum.Has(albums.Title.HasSuffix("\x00ival")),
				[]string{"Dancing Queen", "Money, Money, Money"}},
			{"album starting before the NUL", trackAlbum.Has(albums.Title.HasPrefix("Arr\x00")),
				[]string{"Dancing Queen", "Money, Money, Money"}},
		})
		runConds(t, db, repo.New(db, employees.Table), employeeName, []condCase[employee]{
			{"manager's name ends after the NUL", employeeManager.Has(employees.Name.HasSuffix("\x00b")),
				[]string{"Dan", "Eve"}},
			{"a report whose name starts Bo NUL", employeeReports.Any(employees.Name.HasPrefix("Bo\x00")),
				[]string{"Ada"}},
		})
	})
}
