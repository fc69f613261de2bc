package relation_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/query"
)

// rowsText writes projected rows one per line, for comparison.
func rowsText[R any](rows []R, format func(R) string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(format(r))
		b.WriteByte('\n')
	}
	return b.String()
}

func pair[A, B any](r query.Row2[A, B]) string { return fmt.Sprintf("%v | %v", r.V1, r.V2) }

// nullText shows a sql.Null as its value or NULL.
func nullText[V any](n sql.Null[V]) string {
	if !n.Valid {
		return "NULL"
	}
	return fmt.Sprint(n.V)
}

func wantRows(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("rows:\n%s\nwant:\n%s", got, want)
	}
}

func TestJoin(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		seedMusic(t, db)
		seedCinema(t, db)
		seedPeople(t, db)

		t.Run("inner one-to-many", func(t *testing.T) {
			rows, err := query.Select2(artists.Name, tracks.Title).Join(artistTracks).
				Where(tracks.Released.Le(2)).OrderBy(artists.Name.Asc(), tracks.Released.Asc()).All(ctx, db)
			must(t, "select", err)
			wantRows(t, rowsText(rows, pair), `ABBA | Dancing Queen
ABBA | Money, Money, Money
Beatles | Love Me Do
Beatles | Help!
Cure | Lovesong
Cure | Pictures of You
`)
		})
		t.Run("inner many-to-one", func(t *testing.T) {
			rows, err := query.Select2(tracks.Title, artists.Name).Join(trackArtist).
				Where(artists.Name.Eq("Cure")).OrderBy(tracks.Title.Desc()).All(ctx, db)
			must(t, "select", err)
			wantRows(t, rowsText(rows, pair), "Pictures of You | Cure\nLovesong | Cure\n")
		})
		t.Run("two levels", func(t *testing.T) {
			rows, err := query.Select3(artists.Name, albums.Title, tracks.Title).
				Join(artistAlbums).Join(albumTracks).
				Where(albums.Year.Between(1965, 1969), tracks.Title.HasPrefix("S")).
				OrderBy(tracks.Title.Asc()).All(ctx, db)
			must(t, "select", err)
			wantRows(t, rowsText(rows, func(r query.Row3[string, string, string]) string {
				return r.V1 + " | " + r.V2 + " | " + r.V3
			}), "Beatles | Abbey Road | Something\n")
		})
		t.Run("aggregate", func(t *testing.T) {
			rows, err := query.Select2(artists.Name, query.Count()).Join(artistTracks).
				GroupBy(artists.Name).OrderBy(artists.Name.Asc()).All(ctx, db)
			must(t, "select", err)
			wantRows(t, rowsText(rows, pair), "ABBA | 5\nBeatles | 8\nCure | 2\n")
		})
		t.Run("condition through a relation", func(t *testing.T) {
			rows, err := query.Select2(albums.Title, tracks.Title).Join(albumTracks).
				Where(albumArtist.Has(artists.Name.Eq("ABBA")), tracks.Title.Like("%i%")).
				OrderBy(tracks.Title.Asc()).All(ctx, db)
			must(t, "select", err)
			wantRows(t, rowsText(rows, pair), "Voulez-Vous | Chiquitita\nArrival | Dancing Queen\n")
		})

		t.Run("left join", func(t *testing.T) {
			rows, err := query.Select2(artists.Name, query.Nullable(tracks.Title)).LeftJoin(artistTracks).
				Where(query.Or(tracks.Released.Eq(1), tracks.ID.IsNull())).
				OrderBy(artists.Name.Asc()).All(ctx, db)
			must(t, "select", err)
			wantRows(t, rowsText(rows, func(r query.Row2[string, sql.Null[string]]) string {
				return r.V1 + " | " + nullText(r.V2)
			}), "ABBA | Dancing Queen\nBeatles | Love Me Do\nCure | Lovesong\nDoors | NULL\n")
		})
		t.Run("left join counts", func(t *testing.T) {
			rows, err := query.Select2(artists.Name, query.CountOf(tracks.ID)).LeftJoin(artistTracks).
				GroupBy(artists.Name).OrderBy(artists.Name.Asc()).All(ctx, db)
			must(t, "select", err)
			wantRows(t, rowsText(rows, pair), "ABBA | 5\nBeatles | 8\nCure | 2\nDoors | 0\n")
		})
		t.Run("left join of a nullable integer", func(t *testing.T) {
			rows, err := query.Select2(artists.Name, query.Nullable(albums.Year)).LeftJoin(artistAlbums).
				Where(query.Or(albums.Year.Gt(1980), albums.ID.IsNull())).OrderBy(artists.Name.Asc()).All(ctx, db)
			must(t, "select", err)
			wantRows(t, rowsText(rows, func(r query.Row2[string, sql.Null[int]]) string {
				return r.V1 + " | " + nullText(r.V2)
			}), "Cure | 1989\nDoors | NULL\n")
		})
		t.Run("left join one-to-one", func(t *testing.T) {
			rows, err := query.Select2(people.Name, query.Nullable(phones.Number)).LeftJoin(personPhone).
				OrderBy(people.Name.Asc()).All(ctx, db)
			must(t, "select", err)
			wantRows(t, rowsText(rows, func(r query.Row2[string, sql.Null[string]]) string {
				return r.V1 + " | " + nullText(r.V2)
			}), "Ann | 555-0100\nBen | NULL\n")
		})
		t.Run("left join into a NOT NULL type fails", func(t *testing.T) {
			// NULL cannot be scanned into a string: the caller must select
			// it through query.Nullable, and is told so by an error, never
			// by a silent empty string.
			rows, err := query.Select2(artists.Name, tracks.Title).LeftJoin(artistTracks).
				Where(artists.Name.Eq("Doors")).All(ctx, db)
			if err == nil {
				t.Errorf("got %q, no error; want a scan error for the NULL title", rows)
			}
		})

		t.Run("many-to-many", func(t *testing.T) {
			rows, err := query.Select2(movies.Title, actors.Name).Join(movieCast).
				OrderBy(movies.Year.Asc(), actors.Name.Asc()).All(ctx, db)
			must(t, "select", err)
			wantRows(t, rowsText(rows, pair), `The Matrix | Carrie-Anne
The Matrix | Hugo
The Matrix | Keanu
The Matrix | Laurence
John Wick | Keanu
John Wick | Laurence
Cloud Atlas | Hugo
`)
		})
		t.Run("many-to-many from the other side", func(t *testing.T) {
			// The statement reads actors; the relation is declared from
			// movies.
			rows, err := query.Select2(actors.Name, movies.Title).Join(movieCast).
				Where(actors.Name.Eq("Keanu")).OrderBy(movies.Title.Asc()).All(ctx, db)
			must(t, "select", err)
			wantRows(t, rowsText(rows, pair), "Keanu | John Wick\nKeanu | The Matrix\n")
		})
		t.Run("many-to-many left join", func(t *testing.T) {
			rows, err := query.Select2(movies.Title, query.CountOf(actors.ID)).LeftJoin(movieCast).
				GroupBy(movies.Title, movies.Year).OrderBy(movies.Year.Asc()).All(ctx, db)
			must(t, "select", err)
			wantRows(t, rowsText(rows, pair), "The Matrix | 4\nJohn Wick | 2\nCloud Atlas | 1\nEmpty | 0\n")
		})

		t.Run("errors", func(t *testing.T) {
			for _, c := range []struct {
				name string
				run  func() error
				want string
			}{
				{"self join", func() error {
					_, err := query.Select2(employees.Name, employees.ID).Join(employeeManager).All(ctx, db)
					return err
				}, "with itself"},
				{"self join from the other side", func() error {
					_, err := query.Select2(employees.Name, employees.ID).LeftJoin(employeeReports).All(ctx, db)
					return err
				}, "with itself"},
				{"unrelated table", func() error {
					_, err := query.Select1(people.Name).Join(artistTracks).All(ctx, db)
					return err
				}, "reads neither artist nor track"},
				{"both sides joined already", func() error {
					_, err := query.Select2(artists.Name, tracks.Title).Join(artistTracks).Join(trackArtist).All(ctx, db)
					return err
				}, "both joined already"},
				{"many-to-many joined twice", func() error {
					_, err := query.Select2(movies.Title, actors.Name).Join(movieCast).Join(actorFilms).All(ctx, db)
					return err
				}, "exactly one"},
				{"many-to-many of an unrelated table", func() error {
					_, err := query.Select1(artists.Name).Join(movieCast).All(ctx, db)
					return err
				}, "exactly one"},
				{"column of a table not joined", func() error {
					_, err := query.Select2(artists.Name, tracks.Title).All(ctx, db)
					return err
				}, "does not join"},
			} {
				t.Run(c.name, func(t *testing.T) {
					err := c.run()
					if err == nil || !strings.Contains(err.Error(), c.want) {
						t.Errorf("got %v, want an error containing %q", err, c.want)
					}
				})
			}
		})
	})
}
