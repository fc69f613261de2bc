package relation_test

import (
	"context"
	"errors"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

// byName indexes rows by name.
func byName[T any](rows []*T, name func(*T) string) map[string]*T {
	out := make(map[string]*T, len(rows))
	for _, r := range rows {
		out[name(r)] = r
	}
	return out
}

func TestManyToOne(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		seedMusic(t, db)
		ctx, c := counting(context.Background())
		all, err := repo.New(db, tracks.Table).Load(trackArtist, trackAlbum).All(ctx)
		must(t, "load tracks", err)
		if got, want := c.queries.Load(), int64(3); got != want {
			t.Errorf("queries: got %d, want %d (tracks, artists, albums)", got, want)
		}
		if len(all) != 15 {
			t.Fatalf("tracks: got %d, want 15", len(all))
		}
		artistOf := map[int64]*artist{}
		for _, tr := range all {
			if tr.Artist == nil || tr.Artist.ID != tr.ArtistID {
				t.Fatalf("%s: artist %+v, want the one with key %d", tr.Title, tr.Artist, tr.ArtistID)
			}
			if tr.Album == nil || tr.Album.ID != tr.AlbumID {
				t.Fatalf("%s: album %+v, want the one with key %d", tr.Title, tr.Album, tr.AlbumID)
			}
			// Each parent is loaded once, however many children share it.
			if prev, ok := artistOf[tr.ArtistID]; ok && prev != tr.Artist {
				t.Errorf("%s: artist %d loaded twice", tr.Title, tr.ArtistID)
			}
			artistOf[tr.ArtistID] = tr.Artist
		}
		got := byName(all, trackTitle)
		if a := got["Lovesong"].Artist.Name; a != "Cure" {
			t.Errorf("Lovesong's artist: got %q, want Cure", a)
		}
		if a := got["Yesterday"].Album.Title; a != "Help!" {
			t.Errorf("Yesterday's album: got %q, want Help!", a)
		}
		// A many-to-one never fills the parent's collection: it would hold
		// only the children at hand.
		if got["Lovesong"].Artist.Tracks != nil {
			t.Errorf("loading the artist of tracks filled the artist's tracks: %v", got["Lovesong"].Artist.Tracks)
		}
	}, countHook)
}

func TestManyToOneNullable(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		seedStaff(t, db)
		all, err := repo.New(db, employees.Table).Load(employeeManager).All(context.Background())
		must(t, "load", err)
		got := byName(all, employeeName)
		for _, c := range []struct{ name, manager string }{
			{"Ada", ""}, {"Bob", "Ada"}, {"Cy", "Ada"}, {"Dan", "Bob"}, {"Eve", "Bob"}, {"Zed", ""},
		} {
			m, err := employeeManager.Get(got[c.name])
			if err != nil {
				t.Errorf("%s: Get: %v", c.name, err)
				continue
			}
			if c.manager == "" {
				if m != nil {
					t.Errorf("%s: manager %q, want none", c.name, m.Name)
				}
				continue
			}
			if m == nil || m.Name != c.manager {
				t.Errorf("%s: manager %+v, want %s", c.name, m, c.manager)
			}
		}
		if got["Dan"].Manager != got["Eve"].Manager {
			t.Errorf("Dan and Eve share a manager but got two values")
		}
	})
}

func TestOneToMany(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		seedMusic(t, db)
		all, err := repo.New(db, artists.Table).Load(artistAlbums).All(context.Background())
		must(t, "load", err)
		got := byName(all, artistName)
		for _, c := range []struct {
			artist string
			albums []string
		}{
			{"ABBA", []string{"Arrival", "Voulez-Vous"}},
			{"Beatles", []string{"Abbey Road", "Help!", "Let It Be", "Please Please Me"}},
			{"Cure", []string{"Disintegration"}},
			{"Doors", []string{}},
		} {
			a := got[c.artist]
			if a.Albums == nil {
				t.Errorf("%s: albums nil after loading; want a non-nil slice", c.artist)
			}
			wantNames(t, c.artist+"'s albums", sorted(names(a.Albums, albumTitle)), c.albums)
			for _, al := range a.Albums {
				if al.Artist != a {
					t.Errorf("%s: back-reference %p, want the loaded artist %p", al.Title, al.Artist, a)
				}
				if al.ArtistID != a.ID {
					t.Errorf("%s: artist_id %d, want %d", al.Title, al.ArtistID, a.ID)
				}
			}
		}
	})
}

func TestOneToManyNullable(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		seedStaff(t, db)
		all, err := repo.New(db, employees.Table).Load(employeeReports).All(context.Background())
		must(t, "load", err)
		got := byName(all, employeeName)
		for _, c := range []struct {
			name    string
			reports []string
		}{
			{"Ada", []string{"Bob", "Cy"}}, {"Bob", []string{"Dan", "Eve"}}, {"Cy", []string{}},
			{"Dan", []string{}}, {"Eve", []string{}}, {"Zed", []string{}},
		} {
			e := got[c.name]
			rs, err := employeeReports.Get(e)
			if err != nil {
				t.Errorf("%s: Get: %v", c.name, err)
				continue
			}
			wantNames(t, c.name+"'s reports", sorted(names(rs, employeeName)), c.reports)
			for _, r := range rs {
				if r.Manager != e {
					t.Errorf("%s's report %s: back-reference %p, want %p", c.name, r.Name, r.Manager, e)
				}
			}
		}
	})
}

// seedPeople creates people and phones: Ann has a phone, Ben has none.
func seedPeople(t testing.TB, db dialect.DB) (ann, ben *person, annPhone *phone) {
	t.Helper()
	create(t, db, people.Table, phones.Table)
	ann, ben = &person{Name: "Ann"}, &person{Name: "Ben"}
	insertMany(t, db, people.Table, []*person{ann, ben})
	annPhone = &phone{PersonID: ann.ID, Number: "555-0100"}
	insertMany(t, db, phones.Table, []*phone{annPhone})
	return ann, ben, annPhone
}

func TestOneToOne(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		seedPeople(t, db)

		t.Run("HasOne", func(t *testing.T) {
			all, err := repo.New(db, people.Table).Load(personPhone).OrderBy(people.Name.Asc()).All(ctx)
			must(t, "load", err)
			ann, ben := all[0], all[1]
			ph, err := personPhone.Get(ann)
			if err != nil || ph == nil || ph.Number != "555-0100" {
				t.Fatalf("Ann's phone: got %+v, %v; want 555-0100", ph, err)
			}
			if ph.Person != ann {
				t.Errorf("back-reference: got %p, want Ann %p", ph.Person, ann)
			}
			// Loaded and none looks like never loaded from the row: Get
			// refuses to answer "none", Fetch asks the database.
			ph, err = personPhone.Get(ben)
			if ph != nil || !errors.Is(err, relation.ErrNotLoaded) {
				t.Errorf("Ben's phone: got %+v, %v; want ErrNotLoaded", ph, err)
			}
			if ph, err := personPhone.Fetch(ctx, db, ben); ph != nil || err != nil {
				t.Errorf("Ben's phone fetched: got %+v, %v; want nil, nil", ph, err)
			}
		})
		t.Run("BackOne", func(t *testing.T) {
			all, err := repo.New(db, phones.Table).Load(phoneOwner).All(ctx)
			must(t, "load", err)
			if len(all) != 1 {
				t.Fatalf("phones: got %d, want 1", len(all))
			}
			ph := all[0]
			if ph.Person == nil || ph.Person.Name != "Ann" {
				t.Fatalf("owner: got %+v, want Ann", ph.Person)
			}
			if ph.Person.Phone != ph {
				t.Errorf("BackOne: the owner's phone is %p, want the loaded phone %p", ph.Person.Phone, ph)
			}
		})
	})
}

func TestManyToMany(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		seedCinema(t, db)
		ms, err := repo.New(db, movies.Table).Load(movieCast).All(ctx)
		must(t, "load movies", err)
		gotMovies := byName(ms, movieTitle)
		for _, c := range []struct {
			movie  string
			actors []string
		}{
			{"The Matrix", []string{"Carrie-Anne", "Hugo", "Keanu", "Laurence"}},
			{"John Wick", []string{"Keanu", "Laurence"}},
			{"Cloud Atlas", []string{"Hugo"}},
			{"Empty", []string{}},
		} {
			cast, err := movieCast.Get(gotMovies[c.movie])
			if err != nil {
				t.Errorf("%s: Get: %v", c.movie, err)
				continue
			}
			wantNames(t, c.movie+"'s cast", sorted(names(cast, actorName)), c.actors)
		}

		as, err := repo.New(db, actors.Table).Load(actorFilms).All(ctx)
		must(t, "load actors", err)
		gotActors := byName(as, actorName)
		for _, c := range []struct {
			actor  string
			movies []string
		}{
			{"Keanu", []string{"John Wick", "The Matrix"}},
			{"Hugo", []string{"Cloud Atlas", "The Matrix"}},
			{"Nobody", []string{}},
		} {
			films, err := actorFilms.Get(gotActors[c.actor])
			if err != nil {
				t.Errorf("%s: Get: %v", c.actor, err)
				continue
			}
			wantNames(t, c.actor+"'s movies", sorted(names(films, movieTitle)), c.movies)
		}
	})
}

func TestSelfReferential(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		seedStaff(t, db)
		emps := repo.New(db, employees.Table)

		// Down the chart: roots, their reports, and theirs.
		roots, err := emps.Where(employees.ManagerID.IsNull()).OrderBy(employees.Name.Asc()).
			Load(employeeReports.OrderBy(employees.Name.Asc()).Then(employeeReports.OrderBy(employees.Name.Asc()))).
			All(ctx)
		must(t, "load chart", err)
		wantNames(t, "roots", names(roots, employeeName), []string{"Ada", "Zed"})
		ada := roots[0]
		wantNames(t, "Ada's reports", names(ada.Reports, employeeName), []string{"Bob", "Cy"})
		bob := ada.Reports[0]
		wantNames(t, "Bob's reports", names(bob.Reports, employeeName), []string{"Dan", "Eve"})
		if bob.Manager != ada || bob.Reports[0].Manager != bob {
			t.Errorf("back-references: Bob's manager %p (Ada %p), Dan's %p (Bob %p)", bob.Manager, ada, bob.Reports[0].Manager, bob)
		}
		if ada.Reports[1].Reports == nil || len(ada.Reports[1].Reports) != 0 {
			t.Errorf("Cy's reports: got %v, want loaded and empty", ada.Reports[1].Reports)
		}

		// Up the chart: a manager's manager.
		dan, err := emps.Where(employees.Name.Eq("Dan")).Load(employeeManager.Then(employeeManager)).One(ctx)
		must(t, "load Dan", err)
		if dan.Manager == nil || dan.Manager.Name != "Bob" || dan.Manager.Manager == nil || dan.Manager.Manager.Name != "Ada" {
			t.Fatalf("Dan's managers: got %+v", dan.Manager)
		}
		top, err := employeeManager.Get(dan.Manager.Manager)
		if top != nil || err != nil {
			t.Errorf("Ada's manager: got %+v, %v; want nil, nil", top, err)
		}
	})
}

// TestFetchAndGet covers explicit lazy loading: Get tells a relation never
// loaded from an empty one, and Fetch loads one row's relation with one
// statement.
func TestFetchAndGet(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		m := seedMusic(t, db)
		ann, ben, _ := seedPeople(t, db)
		cin := seedCinema(t, db)
		staff := seedStaff(t, db)

		// Each row is read afresh, so that nothing is loaded into it yet.
		artistRow := func(name string) *artist {
			a, err := repo.New(db, artists.Table).Get(ctx, m.artists[name].ID)
			must(t, "get artist", err)
			return a
		}
		trackRow := func(title string) *track {
			tr, err := repo.New(db, tracks.Table).Get(ctx, m.tracks[title].ID)
			must(t, "get track", err)
			return tr
		}
		personRow := func(p *person) *person {
			got, err := repo.New(db, people.Table).Get(ctx, p.ID)
			must(t, "get person", err)
			return got
		}
		actorRow := func(name string) *actor {
			a, err := repo.New(db, actors.Table).Get(ctx, cin.actors[name].ID)
			must(t, "get actor", err)
			return a
		}
		employeeRow := func(name string) *employee {
			e, err := repo.New(db, employees.Table).Get(ctx, staff[name].ID)
			must(t, "get employee", err)
			return e
		}

		// many is what a collection relation looks like to the cases below.
		type many struct {
			name      string
			get       func() ([]string, error) // Get, names of the rows
			fetch     func(ctx context.Context) ([]string, error)
			want      []string
			wantEmpty bool
		}
		collection := func(name string, get func() ([]string, error), fetch func(ctx context.Context) ([]string, error), want ...string) many {
			return many{name: name, get: get, fetch: fetch, want: want, wantEmpty: len(want) == 0}
		}
		var cases []many
		for _, c := range []struct{ artist string }{{"ABBA"}, {"Doors"}} {
			a := artistRow(c.artist)
			want := map[string][]string{"ABBA": {"Arrival", "Voulez-Vous"}, "Doors": {}}[c.artist]
			cases = append(cases, collection("HasMany/"+c.artist,
				func() ([]string, error) {
					rs, err := artistAlbums.Get(a)
					return names(rs, albumTitle), err
				},
				func(ctx context.Context) ([]string, error) {
					rs, err := artistAlbums.Fetch(ctx, db, a)
					return names(rs, albumTitle), err
				}, want...))
		}
		for _, c := range []struct {
			name string
			want []string
		}{{"Bob", []string{"Dan", "Eve"}}, {"Zed", nil}} {
			e := employeeRow(c.name)
			cases = append(cases, collection("HasManyNullable/"+c.name,
				func() ([]string, error) {
					rs, err := employeeReports.Get(e)
					return names(rs, employeeName), err
				},
				func(ctx context.Context) ([]string, error) {
					rs, err := employeeReports.Fetch(ctx, db, e)
					return names(rs, employeeName), err
				}, c.want...))
		}
		for _, c := range []struct {
			name string
			want []string
		}{{"Keanu", []string{"John Wick", "The Matrix"}}, {"Nobody", nil}} {
			a := actorRow(c.name)
			cases = append(cases, collection("ManyToMany/"+c.name,
				func() ([]string, error) {
					rs, err := actorFilms.Get(a)
					return names(rs, movieTitle), err
				},
				func(ctx context.Context) ([]string, error) {
					rs, err := actorFilms.Fetch(ctx, db, a)
					return names(rs, movieTitle), err
				}, c.want...))
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if got, err := c.get(); !errors.Is(err, relation.ErrNotLoaded) {
					t.Errorf("Get before loading: got %q, %v; want ErrNotLoaded", got, err)
				}
				cctx, n := counting(ctx)
				got, err := c.fetch(cctx)
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
				if q := n.queries.Load(); q != 1 {
					t.Errorf("Fetch ran %d queries, want 1", q)
				}
				wantNames(t, "Fetch", sorted(got), sorted(append([]string{}, c.want...)))
				got, err = c.get()
				if err != nil {
					t.Fatalf("Get after Fetch: %v", err)
				}
				wantNames(t, "Get after Fetch", sorted(got), sorted(append([]string{}, c.want...)))
				if c.wantEmpty && got == nil {
					t.Errorf("Get after Fetch: nil; want an empty non-nil slice")
				}
			})
		}

		t.Run("BelongsTo", func(t *testing.T) {
			tr := trackRow("Lovesong")
			if p, err := trackArtist.Get(tr); !errors.Is(err, relation.ErrNotLoaded) {
				t.Errorf("Get before loading: got %+v, %v; want ErrNotLoaded", p, err)
			}
			p, err := trackArtist.Fetch(ctx, db, tr)
			if err != nil || p == nil || p.Name != "Cure" {
				t.Fatalf("Fetch: got %+v, %v; want Cure", p, err)
			}
			if p2, err := trackArtist.Get(tr); p2 != p || err != nil {
				t.Errorf("Get after Fetch: got %+v, %v; want the fetched artist", p2, err)
			}
		})
		t.Run("BelongsToNullable", func(t *testing.T) {
			ada := employeeRow("Ada")
			// A NULL key has no parent to load: nil, nil, loaded or not.
			if p, err := employeeManager.Get(ada); p != nil || err != nil {
				t.Errorf("Get with a NULL key: got %+v, %v; want nil, nil", p, err)
			}
			if p, err := employeeManager.Fetch(ctx, db, ada); p != nil || err != nil {
				t.Errorf("Fetch with a NULL key: got %+v, %v; want nil, nil", p, err)
			}
			dan := employeeRow("Dan")
			if p, err := employeeManager.Get(dan); !errors.Is(err, relation.ErrNotLoaded) {
				t.Errorf("Get before loading: got %+v, %v; want ErrNotLoaded", p, err)
			}
			p, err := employeeManager.Fetch(ctx, db, dan)
			if err != nil || p == nil || p.Name != "Bob" {
				t.Errorf("Fetch: got %+v, %v; want Bob", p, err)
			}
		})
		t.Run("OneToOne", func(t *testing.T) {
			for _, c := range []struct {
				name   string
				row    *person
				number string
			}{{"Ann", ann, "555-0100"}, {"Ben", ben, ""}} {
				p := personRow(c.row)
				if ph, err := personPhone.Get(p); !errors.Is(err, relation.ErrNotLoaded) {
					t.Errorf("%s: Get before loading: got %+v, %v; want ErrNotLoaded", c.name, ph, err)
				}
				ph, err := personPhone.Fetch(ctx, db, p)
				if err != nil {
					t.Fatalf("%s: Fetch: %v", c.name, err)
				}
				got, err := personPhone.Get(p)
				switch {
				case ph == nil && !errors.Is(err, relation.ErrNotLoaded):
					// No memory of loads: a nil pointer is never "none".
					t.Errorf("%s: Get after a Fetch that found none: got %+v, %v; want ErrNotLoaded", c.name, got, err)
				case ph != nil && (err != nil || got != ph):
					t.Errorf("%s: Get after Fetch: got %+v, %v; want %+v, nil", c.name, got, err, ph)
				}
				switch {
				case c.number == "" && ph != nil:
					t.Errorf("%s: Fetch: got %+v, want nil (no phone)", c.name, ph)
				case c.number != "" && (ph == nil || ph.Number != c.number):
					t.Errorf("%s: Fetch: got %+v, want %s", c.name, ph, c.number)
				}
			}
		})
		t.Run("nil row", func(t *testing.T) {
			if _, err := artistAlbums.Fetch(ctx, db, nil); err == nil {
				t.Errorf("OneToMany.Fetch(nil): no error")
			}
			if _, err := trackArtist.Fetch(ctx, db, nil); err == nil {
				t.Errorf("ManyToOne.Fetch(nil): no error")
			}
			if _, err := personPhone.Fetch(ctx, db, nil); err == nil {
				t.Errorf("OneToOne.Fetch(nil): no error")
			}
			if _, err := movieCast.Fetch(ctx, db, nil); err == nil {
				t.Errorf("ManyToMany.Fetch(nil): no error")
			}
		})
	}, countHook)
}
