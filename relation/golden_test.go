package relation_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/golden"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

// TestMain checks, after the tests, that every golden file is still used.
func TestMain(m *testing.M) { golden.Main(m) }

// The golden scenarios below record the statements each relation sends
// (loaders, Fetch, conditions, joins, cascades, Link, Unlink, Set, Clear),
// with their arguments, on every dialect, and compare them with
// testdata/golden/<case>.<dialect>.sql (go test -update rewrites them).
// Each test seeds the models of models_test.go anew; the cases that write
// come after those that read, so that the rows' order on disk, and the
// keys the statements bind, stay the same from run to run.

// goldenRun is one database recorded for golden cases.
type goldenRun struct {
	t   *testing.T
	db  dialect.DB // recorded
	rec *golden.Recorder
}

// run runs one case: the statements fn sends are compared with the golden
// file of name, and an error from fn fails the test.
func (g *goldenRun) run(name string, fn func(ctx context.Context) error) {
	g.t.Helper()
	g.rec.Reset()
	if err := fn(context.Background()); err != nil {
		g.t.Errorf("%s: %v", name, err)
	}
	g.rec.Check(g.t, name, g.db.Dialect().Name())
}

// goldenCases runs cases on every dialect, on a database that seed fills.
// The recorded database is bound to testModel, so that the cases' deletes
// run its cascades.
func goldenCases[S any](t *testing.T, seed func(testing.TB, dialect.DB) S, cases func(g *goldenRun, s S)) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		s := seed(t, db)
		rdb, rec := golden.Record(db)
		cases(&goldenRun{t: t, db: testModel.Bind(rdb), rec: rec}, s)
	})
}

// all runs q and discards its rows.
func all[T any](ctx context.Context, q *repo.Query[T]) error {
	_, err := q.All(ctx)
	return err
}

func TestGoldenLoadMusic(t *testing.T) {
	t.Parallel()
	goldenCases(t, seedMusic, func(g *goldenRun, m *music) {
		artistRepo, albumRepo := repo.New(g.db, artists.Table), repo.New(g.db, albums.Table)
		g.run("load_has_many", func(ctx context.Context) error {
			return all(ctx, artistRepo.Load(artistAlbums).OrderBy(artists.ID.Asc()))
		})
		g.run("load_belongs_to", func(ctx context.Context) error {
			return all(ctx, albumRepo.Load(albumArtist).OrderBy(albums.ID.Asc()))
		})
		g.run("load_then", func(ctx context.Context) error {
			return all(ctx, artistRepo.Load(artistAlbums.OrderBy(albums.Year.Asc()).Then(albumTracks.OrderBy(tracks.ID.Asc()))).
				OrderBy(artists.ID.Asc()))
		})
		g.run("load_order_where", func(ctx context.Context) error {
			return all(ctx, artistRepo.Load(artistAlbums.Where(albums.Year.Gt(1965)).OrderBy(albums.Year.Desc())).
				OrderBy(artists.ID.Asc()))
		})
		// At most two tracks per artist, the newest: a window function.
		g.run("load_limit_per_parent", func(ctx context.Context) error {
			return all(ctx, artistRepo.Load(artistTracks.OrderBy(tracks.Released.Desc()).Limit(2)).
				OrderBy(artists.ID.Asc()))
		})
		g.run("fetch_has_many", func(ctx context.Context) error {
			_, err := artistAlbums.Fetch(ctx, g.db, m.artists["Beatles"])
			return err
		})
		g.run("fetch_belongs_to", func(ctx context.Context) error {
			_, err := trackAlbum.Fetch(ctx, g.db, m.tracks["Yesterday"])
			return err
		})
		g.run("cond_has", func(ctx context.Context) error {
			return all(ctx, repo.New(g.db, tracks.Table).Where(trackArtist.Has(artists.Name.Gt("B"))).OrderBy(tracks.ID.Asc()))
		})
		g.run("cond_any", func(ctx context.Context) error {
			return all(ctx, artistRepo.Where(artistTracks.Any(tracks.Title.Like("%Love%"), tracks.Released.Lt(5))))
		})
		g.run("cond_not_any", func(ctx context.Context) error {
			return all(ctx, artistRepo.Where(query.Not(artistTracks.Any())))
		})
		g.run("join", func(ctx context.Context) error {
			_, err := query.Select2(artists.Name, tracks.Title).Join(artistTracks).
				Where(tracks.Released.Le(2)).OrderBy(artists.Name.Asc(), tracks.Released.Asc()).All(ctx, g.db)
			return err
		})
		g.run("join_two", func(ctx context.Context) error {
			_, err := query.Select3(artists.Name, albums.Title, tracks.Title).
				Join(artistAlbums).Join(albumTracks).OrderBy(tracks.Title.Asc()).All(ctx, g.db)
			return err
		})
		g.run("join_left", func(ctx context.Context) error {
			_, err := query.Select2(artists.Name, query.Nullable(tracks.Title)).LeftJoin(artistTracks).
				OrderBy(artists.Name.Asc()).All(ctx, g.db)
			return err
		})
		// Deleting an artist deletes its albums, theirs tracks first, and
		// its tracks, deepest rows first, in one transaction.
		g.run("cascade_delete_nested", func(ctx context.Context) error {
			return artistRepo.Delete(ctx, m.artists["ABBA"])
		})
		g.run("cascade_delete_where", func(ctx context.Context) error {
			_, err := artistRepo.DeleteWhere(ctx, artists.Name.Ge("C"))
			return err
		})
	})
}

// phoneBook is the people and phones seeded for the one-to-one cases:
// Ada has a phone, Bo none.
type phoneBook struct{ ada, bo *person }

func seedPhones(t testing.TB, db dialect.DB) phoneBook {
	t.Helper()
	create(t, db, people.Table, phones.Table)
	p := phoneBook{ada: &person{Name: "Ada"}, bo: &person{Name: "Bo"}}
	insertMany(t, db, people.Table, []*person{p.ada, p.bo})
	insertMany(t, db, phones.Table, []*phone{{PersonID: p.ada.ID, Number: "555"}})
	return p
}

func TestGoldenLoadOneToOne(t *testing.T) {
	t.Parallel()
	goldenCases(t, seedPhones, func(g *goldenRun, p phoneBook) {
		g.run("load_has_one", func(ctx context.Context) error {
			return all(ctx, repo.New(g.db, people.Table).Load(personPhone).OrderBy(people.ID.Asc()))
		})
		g.run("load_belongs_to_back_one", func(ctx context.Context) error {
			return all(ctx, repo.New(g.db, phones.Table).Load(phoneOwner))
		})
		g.run("fetch_has_one", func(ctx context.Context) error {
			_, err := personPhone.Fetch(ctx, g.db, p.ada)
			return err
		})
		g.run("cond_has_one", func(ctx context.Context) error {
			return all(ctx, repo.New(g.db, people.Table).Where(personPhone.Has(phones.Number.HasPrefix("5"))))
		})
		g.run("join_has_one_left", func(ctx context.Context) error {
			_, err := query.Select2(people.Name, query.Nullable(phones.Number)).LeftJoin(personPhone).
				OrderBy(people.Name.Asc()).All(ctx, g.db)
			return err
		})
		g.run("cascade_delete_has_one", func(ctx context.Context) error {
			return repo.New(g.db, people.Table).Delete(ctx, p.ada)
		})
	})
}

func TestGoldenManyToMany(t *testing.T) {
	t.Parallel()
	goldenCases(t, seedCinema, func(g *goldenRun, c *cinema) {
		movieRepo := repo.New(g.db, movies.Table)
		g.run("load_many_to_many", func(ctx context.Context) error {
			return all(ctx, movieRepo.Load(movieCast.OrderBy(actors.Name.Asc())).OrderBy(movies.ID.Asc()))
		})
		g.run("load_many_to_many_where_then", func(ctx context.Context) error {
			return all(ctx, movieRepo.Load(movieCast.Where(actors.Name.Ne("Hugo")).OrderBy(actors.ID.Asc()).
				Then(actorFilms.OrderBy(movies.ID.Asc()))).OrderBy(movies.ID.Asc()))
		})
		g.run("fetch_many_to_many", func(ctx context.Context) error {
			_, err := movieCast.Fetch(ctx, g.db, c.movies["John Wick"])
			return err
		})
		g.run("cond_any_many_to_many", func(ctx context.Context) error {
			return all(ctx, movieRepo.Where(movieCast.Any(actors.Name.Eq("Keanu"))).OrderBy(movies.ID.Asc()))
		})
		g.run("join_many_to_many", func(ctx context.Context) error {
			_, err := query.Select2(movies.Title, actors.Name).Join(movieCast).
				OrderBy(movies.Title.Asc(), actors.Name.Asc()).All(ctx, g.db)
			return err
		})
		g.run("link", func(ctx context.Context) error {
			return repo.Link(ctx, g.db, movieCast, c.movies["Empty"], c.actors["Nobody"], c.actors["Keanu"])
		})
		g.run("linked", func(ctx context.Context) error {
			_, err := movieCast.Linked(ctx, g.db, c.movies["Empty"], c.actors["Nobody"], c.actors["Hugo"])
			return err
		})
		g.run("unlink", func(ctx context.Context) error {
			return repo.Unlink(ctx, g.db, movieCast, c.movies["Empty"], c.actors["Nobody"], c.actors["Keanu"])
		})
		// Deleting a movie deletes its association rows, not its actors.
		g.run("cascade_many_to_many", func(ctx context.Context) error {
			return movieRepo.Delete(ctx, c.movies["John Wick"])
		})
	})
}

func TestGoldenStaff(t *testing.T) {
	t.Parallel()
	goldenCases(t, seedStaff, func(g *goldenRun, staff map[string]*employee) {
		staffRepo := repo.New(g.db, employees.Table)
		g.run("load_has_many_nullable", func(ctx context.Context) error {
			return all(ctx, staffRepo.Load(employeeReports.OrderBy(employees.ID.Asc())).OrderBy(employees.ID.Asc()))
		})
		g.run("load_belongs_to_nullable", func(ctx context.Context) error {
			return all(ctx, staffRepo.Load(employeeManager).OrderBy(employees.ID.Asc()))
		})
		g.run("cond_has_nested", func(ctx context.Context) error {
			return all(ctx, staffRepo.Where(employeeManager.Has(employeeManager.Has(employees.Name.Eq("Ada")))))
		})
		g.run("set", func(ctx context.Context) error {
			return repo.SetParent(ctx, g.db, employeeManager, staff["Zed"], staff["Ada"])
		})
		g.run("clear", func(ctx context.Context) error {
			return repo.ClearParent(ctx, g.db, employeeManager, staff["Zed"])
		})
		// Deleting a manager sets the reports' manager to NULL.
		g.run("cascade_nullify", func(ctx context.Context) error {
			return staffRepo.Delete(ctx, staff["Bob"])
		})
	})
}

// store is the seeded warehouse: the full warehouse's loaded shelf holds
// boxes, which Restrict protects.
type store struct {
	full, bare    *warehouse
	empty, loaded *shelf
}

func seedStoreRows(t testing.TB, db dialect.DB) store {
	t.Helper()
	full, bare, empty, loaded := seedStore(t, db)
	return store{full, bare, empty, loaded}
}

func TestGoldenRestrict(t *testing.T) {
	t.Parallel()
	goldenCases(t, seedStoreRows, func(g *goldenRun, s store) {
		warehouseRepo := repo.New(g.db, warehouses.Table)
		// The probe finds boxes on a shelf the cascade would delete:
		// refused, and the transaction rolled back.
		g.run("cascade_restrict", func(ctx context.Context) error {
			if err := warehouseRepo.Delete(ctx, s.full); !errors.Is(err, model.ErrRestricted) {
				return fmt.Errorf("got %v, want ErrRestricted", err)
			}
			return nil
		})
		g.run("cascade_restrict_passes", func(ctx context.Context) error {
			return warehouseRepo.Delete(ctx, s.bare)
		})
	})
}
