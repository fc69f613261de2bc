package relation_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

func TestLoadNested(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		seedMusic(t, db)
		ctx, c := counting(context.Background())
		all, err := repo.New(db, artists.Table).
			Load(artistAlbums.OrderBy(albums.Year.Asc()).Then(albumTracks.OrderBy(tracks.Released.Asc()))).
			OrderBy(artists.Name.Asc()).
			All(ctx)
		must(t, "load", err)
		if got := c.queries.Load(); got != 3 {
			t.Errorf("queries: got %d, want 3 (artists, albums, tracks)", got)
		}
		// Every artist, album and track in order, as one outline.
		var b strings.Builder
		for _, a := range all {
			fmt.Fprintf(&b, "%s:", a.Name)
			for _, al := range a.Albums {
				if al.Artist != a {
					t.Errorf("%s: back-reference to %p, want %p", al.Title, al.Artist, a)
				}
				fmt.Fprintf(&b, " [%s:", al.Title)
				for _, tr := range al.Tracks {
					if tr.Album != al {
						t.Errorf("%s: back-reference to %p, want %p", tr.Title, tr.Album, al)
					}
					fmt.Fprintf(&b, " %s;", tr.Title)
				}
				b.WriteString("]")
			}
			b.WriteString("\n")
		}
		want := `ABBA: [Arrival: Dancing Queen; Money, Money, Money;] [Voulez-Vous: Chiquitita; Does Your Mother Know; I Have a Dream;]
Beatles: [Please Please Me: Love Me Do;] [Help!: Help!; Yesterday;] [Abbey Road: Something; Come Together; Here Comes the Sun;] [Let It Be: Let It Be; Get Back;]
Cure: [Disintegration: Lovesong; Pictures of You;]
Doors:
`
		if got := b.String(); got != want {
			t.Errorf("loaded:\n%s\nwant:\n%s", got, want)
		}
	}, countHook)
}

// loadCase is one way of loading the artists' tracks or albums, and the
// titles each artist must end up with, in order.
type loadCase struct {
	name   string
	loader relation.Loader[artist]
	field  func(a *artist) []string
	want   map[string][]string
}

func albumsOf(a *artist) []string { return names(a.Albums, albumTitle) }
func tracksOf(a *artist) []string { return names(a.Tracks, trackTitle) }

func TestLoadOptions(t *testing.T) {
	newest := artistTracks.OrderBy(tracks.Released.Desc())
	cases := []loadCase{
		{"OrderBy", artistAlbums.OrderBy(albums.Year.Desc()), albumsOf, map[string][]string{
			"ABBA":    {"Voulez-Vous", "Arrival"},
			"Beatles": {"Let It Be", "Abbey Road", "Help!", "Please Please Me"},
			"Cure":    {"Disintegration"},
			"Doors":   {},
		}},
		{"OrderBy two terms", artistAlbums.OrderBy(query.Desc[album](albums.Year.Gt(1968)), albums.Title.Asc()), albumsOf, nil},
		{"Where", artistAlbums.Where(albums.Year.Lt(1970)).OrderBy(albums.Year.Asc()), albumsOf, map[string][]string{
			"ABBA":    {},
			"Beatles": {"Please Please Me", "Help!", "Abbey Road"},
			"Cure":    {},
			"Doors":   {},
		}},
		{"Where through a relation", artistAlbums.Where(albumTracks.Any(tracks.Title.Like("%Love%"))), albumsOf, map[string][]string{
			"ABBA":    {},
			"Beatles": {"Please Please Me"},
			"Cure":    {"Disintegration"},
			"Doors":   {},
		}},
		{"Limit: the 3 newest tracks of each artist", newest.Limit(3), tracksOf, map[string][]string{
			"ABBA":    {"I Have a Dream", "Does Your Mother Know", "Chiquitita"},
			"Beatles": {"Get Back", "Let It Be", "Here Comes the Sun"},
			"Cure":    {"Pictures of You", "Lovesong"},
			"Doors":   {},
		}},
		{"Limit 1", newest.Limit(1), tracksOf, map[string][]string{
			"ABBA": {"I Have a Dream"}, "Beatles": {"Get Back"}, "Cure": {"Pictures of You"}, "Doors": {},
		}},
		{"Limit without OrderBy takes the first keys", artistTracks.Limit(2), tracksOf, map[string][]string{
			"ABBA": {"Dancing Queen", "Money, Money, Money"}, "Beatles": {"Love Me Do", "Help!"},
			"Cure": {"Lovesong", "Pictures of You"}, "Doors": {},
		}},
		{"Limit with Where", newest.Where(tracks.Title.Contains("o")).Limit(2), tracksOf, map[string][]string{
			"ABBA":    {"Does Your Mother Know", "Money, Money, Money"},
			"Beatles": {"Here Comes the Sun", "Come Together"},
			"Cure":    {"Pictures of You", "Lovesong"},
			"Doors":   {},
		}},
		{"Limit with an ordering expression", artistAlbums.OrderBy(query.Desc[album](albums.Year.Gt(1968)), albums.Title.Asc()).Limit(1),
			albumsOf, map[string][]string{"ABBA": {"Arrival"}, "Beatles": {"Abbey Road"}, "Cure": {"Disintegration"}, "Doors": {}}},
		{"Limit with a condition through a relation", newest.Where(trackAlbum.Has(albums.Year.Lt(1970))).Limit(2), tracksOf,
			map[string][]string{"ABBA": {}, "Beatles": {"Here Comes the Sun", "Come Together"}, "Cure": {}, "Doors": {}}},
		{"Limit over the number of children", newest.Limit(100).Where(tracks.Released.Le(2)), tracksOf, map[string][]string{
			"ABBA": {"Money, Money, Money", "Dancing Queen"}, "Beatles": {"Help!", "Love Me Do"},
			"Cure": {"Pictures of You", "Lovesong"}, "Doors": {},
		}},
	}
	// The second case orders by an expression: albums after 1968 first,
	// then by title.
	cases[1].want = map[string][]string{
		"ABBA":    {"Arrival", "Voulez-Vous"},
		"Beatles": {"Abbey Road", "Let It Be", "Help!", "Please Please Me"},
		"Cure":    {"Disintegration"},
		"Doors":   {},
	}
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		seedMusic(t, db)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ctx, n := counting(context.Background())
				all, err := repo.New(db, artists.Table).Load(c.loader).All(ctx)
				if err != nil {
					t.Fatalf("load: %v", err)
				}
				if got := n.queries.Load(); got != 2 {
					t.Errorf("queries: got %d, want 2", got)
				}
				if strings.HasPrefix(c.name, "Limit") {
					if ev := n.seen(); len(ev) != 2 || !strings.Contains(ev[1].SQL, "ROW_NUMBER() OVER (PARTITION BY") {
						t.Errorf("the loader's statement is not a window function: %v", ev)
					}
				}
				if len(all) != len(c.want) {
					t.Fatalf("artists: got %d, want %d", len(all), len(c.want))
				}
				for _, a := range all {
					wantNames(t, a.Name, c.field(a), c.want[a.Name])
				}
			})
		}
		t.Run("negative Limit", func(t *testing.T) {
			_, err := repo.New(db, artists.Table).Load(artistTracks.Limit(-1)).All(context.Background())
			if err == nil || !strings.Contains(err.Error(), "negative limit") {
				t.Errorf("got %v, want an error about the negative limit", err)
			}
		})
		t.Run("variants leave the declaration alone", func(t *testing.T) {
			// OrderBy, Where, Limit and Then made above must not have
			// changed artistTracks itself.
			all, err := repo.New(db, artists.Table).Where(artists.Name.Eq("ABBA")).Load(artistTracks).All(context.Background())
			must(t, "load", err)
			if got := len(all[0].Tracks); got != 5 {
				t.Errorf("ABBA's tracks: got %d, want all 5", got)
			}
		})
	}, countHook)
}

func TestLoadManyToManyOptions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		seedCinema(t, db)
		ctx, n := counting(context.Background())
		ms, err := repo.New(db, movies.Table).OrderBy(movies.Year.Asc()).
			Load(movieCast.OrderBy(actors.Name.Desc())).All(ctx)
		must(t, "load", err)
		if got := n.queries.Load(); got != 2 {
			t.Errorf("queries: got %d, want 2", got)
		}
		wantNames(t, "The Matrix, by name descending", names(ms[0].Actors, actorName),
			[]string{"Laurence", "Keanu", "Hugo", "Carrie-Anne"})
		wantNames(t, "John Wick", names(ms[1].Actors, actorName), []string{"Laurence", "Keanu"})

		// An actor in two movies is one value in both casts.
		keanu := ms[0].Actors[1]
		if ms[1].Actors[1] != keanu {
			t.Errorf("Keanu in The Matrix (%p) and in John Wick (%p) are two values; want one", keanu, ms[1].Actors[1])
		}
		if ms[0].Actors[0] != ms[1].Actors[0] {
			t.Errorf("Laurence is two values; want one")
		}

		t.Run("Where", func(t *testing.T) {
			ms, err := repo.New(db, movies.Table).OrderBy(movies.Year.Asc()).
				Load(movieCast.Where(actors.Name.Like("%e")).OrderBy(actors.Name.Asc())).All(context.Background())
			must(t, "load", err)
			wantNames(t, "The Matrix", names(ms[0].Actors, actorName), []string{"Carrie-Anne", "Laurence"})
			wantNames(t, "Cloud Atlas", names(ms[2].Actors, actorName), []string{})
		})
		t.Run("Then", func(t *testing.T) {
			ctx, n := counting(context.Background())
			wick, err := repo.New(db, movies.Table).Where(movies.Title.Eq("John Wick")).
				Load(movieCast.OrderBy(actors.Name.Asc()).Then(actorFilms.OrderBy(movies.Year.Asc()))).One(ctx)
			must(t, "load", err)
			if got := n.queries.Load(); got != 3 {
				t.Errorf("queries: got %d, want 3", got)
			}
			wantNames(t, "cast", names(wick.Actors, actorName), []string{"Keanu", "Laurence"})
			for _, a := range wick.Actors {
				wantNames(t, a.Name+"'s movies", names(a.Movies, movieTitle), []string{"The Matrix", "John Wick"})
			}
			if wick.Actors[0].Movies[0] != wick.Actors[1].Movies[0] {
				t.Errorf("The Matrix, loaded for Keanu and Laurence, is two values; want one")
			}
		})
	}, countHook)
}

// TestLoadEntryPoints checks that every way of running a query runs its
// loaders: All, One, First, Iter, on a repository or a query, in a
// transaction too.
func TestLoadEntryPoints(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		seedMusic(t, db)
		ar := repo.New(db, artists.Table)
		loaded := func(t *testing.T, a *artist, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			if len(a.Albums) != 2 {
				t.Errorf("%s: got %d albums, want 2", a.Name, len(a.Albums))
			}
		}
		a, err := ar.Where(artists.Name.Eq("ABBA")).Load(artistAlbums).One(ctx)
		loaded(t, a, err)
		a, err = ar.Load(artistAlbums).Where(artists.Name.Eq("ABBA")).First(ctx)
		loaded(t, a, err)
		for a, err := range ar.Load(artistAlbums).Where(artists.Name.Eq("ABBA")).Iter(ctx) {
			loaded(t, a, err)
		}
		err = dialect.InTx(ctx, db, func(tx dialect.Executor) error {
			a, err := repo.New(tx, artists.Table).Load(artistAlbums).Where(artists.Name.Eq("ABBA")).One(ctx)
			loaded(t, a, err)
			return nil
		})
		must(t, "transaction", err)
		none, err := ar.Where(artists.Name.Eq("nobody")).Load(artistAlbums).All(ctx)
		if err != nil || len(none) != 0 {
			t.Errorf("no rows: got %v, %v", none, err)
		}
	})
}

// TestLoadStatementCount proves select-in loading: N parents with K nested
// relation levels cost 1 + K queries, whatever N, and the keys travel as
// one parameter.
func TestLoadStatementCount(t *testing.T) {
	const maxN = 10_000
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, musicTables...)
		// Artist i has one album of year 1000+i with two tracks.
		as := make([]*artist, maxN)
		for i := range as {
			as[i] = &artist{Name: fmt.Sprintf("artist %05d", i)}
		}
		insertMany(t, db, artists.Table, as)
		als := make([]*album, maxN)
		for i, a := range as {
			als[i] = &album{ArtistID: a.ID, Title: fmt.Sprintf("album %05d", i), Year: 1000 + i}
		}
		insertMany(t, db, albums.Table, als)
		trs := make([]*track, 0, 2*maxN)
		for i, al := range als {
			for j := range 2 {
				trs = append(trs, &track{AlbumID: al.ID, ArtistID: al.ArtistID, Title: fmt.Sprintf("track %05d/%d", i, j), Released: j})
			}
		}
		insertMany(t, db, tracks.Table, trs)

		levels := []struct {
			k      int
			loader relation.Loader[artist]
		}{
			{2, artistAlbums.Then(albumTracks)},
			{3, artistAlbums.Then(albumTracks.Then(trackArtist))},
		}
		for _, n := range []int{1, 100, maxN} {
			for _, l := range levels {
				t.Run(fmt.Sprintf("N=%d/K=%d", n, l.k), func(t *testing.T) {
					cctx, c := counting(ctx)
					got, err := repo.New(db, artists.Table).OrderBy(artists.ID.Asc()).Limit(int64(n)).Load(l.loader).All(cctx)
					if err != nil {
						t.Fatal(err)
					}
					if q, want := c.queries.Load(), int64(1+l.k); q != want {
						t.Errorf("queries: got %d, want %d", q, want)
					}
					if e := c.execs.Load(); e != 0 {
						t.Errorf("execs: got %d, want 0", e)
					}
					// PostgreSQL binds the keys as one array, SQLite as one
					// JSON parameter past 500 keys.
					maxArgs := 3
					if !db.Dialect().Features().ArrayParams && n <= 500 {
						maxArgs += n
					}
					for _, e := range c.seen() {
						if e.Args > maxArgs {
							t.Errorf("a statement bound %d parameters, want at most %d: %.120s", e.Args, maxArgs, e.SQL)
						}
					}
					if len(got) != n {
						t.Fatalf("artists: got %d, want %d", len(got), n)
					}
					var tracksSeen int
					for i, a := range got {
						if len(a.Albums) != 1 || a.Albums[0].Year != 1000+i || a.Albums[0].Artist != a {
							t.Fatalf("artist %d: albums %+v", i, a.Albums)
						}
						for _, tr := range a.Albums[0].Tracks {
							tracksSeen++
							if tr.Album != a.Albums[0] {
								t.Fatalf("artist %d: track %s has back-reference %p", i, tr.Title, tr.Album)
							}
							if l.k == 3 && (tr.Artist == nil || tr.Artist.ID != a.ID) {
								t.Fatalf("artist %d: track %s has artist %+v", i, tr.Title, tr.Artist)
							}
						}
					}
					if tracksSeen != 2*n {
						t.Errorf("tracks: got %d, want %d", tracksSeen, 2*n)
					}
				})
			}
		}
	}, countHook)
}

// A wide parent and child, for the test of 200,000 parents.
type wideParent struct {
	ID   int64
	Rank int
	Kids []*wideChild
}

type wideChild struct {
	ID       int64
	ParentID int64
	Value    int64
}

type wideParentTable struct {
	*mapped.Table[wideParent]
	ID   mapped.Column[wideParent, int64]
	Rank mapped.Column[wideParent, int]
}

type wideChildTable struct {
	*mapped.Table[wideChild]
	ID       mapped.Column[wideChild, int64]
	ParentID mapped.Column[wideChild, int64]
	Value    mapped.Column[wideChild, int64]
}

var (
	wideParents = mapped.Define("wide_parent", func(t *mapped.Table[wideParent], p *wideParent) wideParentTable {
		return wideParentTable{Table: t, ID: mapped.PrimaryKey(t, &p.ID, mapped.Manual()), Rank: mapped.Col(t, &p.Rank)}
	})
	wideChildren = mapped.Define("wide_child", func(t *mapped.Table[wideChild], c *wideChild) wideChildTable {
		return wideChildTable{Table: t,
			ID:       mapped.PrimaryKey(t, &c.ID, mapped.Manual()),
			ParentID: mapped.ForeignKey(t, &c.ParentID, wideParents.ID),
			Value:    mapped.Col(t, &c.Value),
		}
	})
	wideKids = relation.HasMany(wideChildren.ParentID, func(p *wideParent) *[]*wideChild { return &p.Kids })
)

// kidsOf is the number of children of the i-th wide parent: most have
// none, so that 200,000 keys are sent and most parents get an empty slice.
func kidsOf(i int) int { return [...]int{2, 0, 0, 1, 0, 0, 0, 0}[i%8] }

// TestLoad200000Parents loads one relation level of 200,000 parents: two
// queries, every child in its place.
func TestLoad200000Parents(t *testing.T) {
	if testing.Short() {
		t.Skip("inserts 400,000 rows; skipped with -short")
	}
	const parents = 200_000
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, wideParents.Table, wideChildren.Table)
		// Keys are given, so that the inserts need no RETURNING: under the
		// race detector SQLite is slow enough for it to matter.
		ps := make([]*wideParent, parents)
		for i := range ps {
			ps[i] = &wideParent{ID: int64(i + 1), Rank: i}
		}
		insertMany(t, db, wideParents.Table, ps)
		// Parent i has kidsOf(i) children whose values are its key and its
		// key plus one.
		var kids []*wideChild
		var wantSum int64
		for i, p := range ps {
			for j := range kidsOf(i) {
				kids = append(kids, &wideChild{ID: int64(len(kids) + 1), ParentID: p.ID, Value: p.ID + int64(j)})
				wantSum += p.ID + int64(j)
			}
		}
		insertMany(t, db, wideChildren.Table, kids)

		cctx, c := counting(ctx)
		got, err := repo.New(db, wideParents.Table).OrderBy(wideParents.ID.Asc()).Load(wideKids).All(cctx)
		must(t, "load", err)
		if q := c.queries.Load(); q != 2 {
			t.Errorf("queries: got %d, want 2", q)
		}
		if len(got) != parents {
			t.Fatalf("parents: got %d, want %d", len(got), parents)
		}
		var n int
		var sum int64
		for i, p := range got {
			if p.Rank != i {
				t.Fatalf("parent %d: rank %d", i, p.Rank)
			}
			if p.Kids == nil || len(p.Kids) != kidsOf(i) {
				t.Fatalf("parent %d: got %d children (nil: %t), want %d", i, len(p.Kids), p.Kids == nil, kidsOf(i))
			}
			for _, k := range p.Kids {
				if k.ParentID != p.ID || k.Value < p.ID || k.Value > p.ID+1 {
					t.Fatalf("parent %d (key %d): child %+v", i, p.ID, k)
				}
				n++
				sum += k.Value
			}
		}
		if n != len(kids) || sum != wantSum {
			t.Errorf("children: got %d summing to %d, want %d summing to %d", n, sum, len(kids), wantSum)
		}
	}, countHook)
}

// A parent that is nothing but its key: a cart of items.
type cart struct {
	ID    int64
	Items []*cartItem
}

type cartItem struct {
	ID     int64
	CartID int64
	SKU    string
}

type cartTable struct {
	*mapped.Table[cart]
	ID mapped.Column[cart, int64]
}

type cartItemTable struct {
	*mapped.Table[cartItem]
	ID     mapped.Column[cartItem, int64]
	CartID mapped.Column[cartItem, int64]
	SKU    mapped.TextColumn[cartItem, string]
}

var (
	carts = mapped.Define("cart", func(t *mapped.Table[cart], c *cart) cartTable {
		return cartTable{Table: t, ID: mapped.PrimaryKey(t, &c.ID)}
	})
	cartItems = mapped.Define("cart_item", func(t *mapped.Table[cartItem], i *cartItem) cartItemTable {
		return cartItemTable{Table: t,
			ID:     mapped.PrimaryKey(t, &i.ID),
			CartID: mapped.ForeignKey(t, &i.CartID, carts.ID),
			SKU:    mapped.Text(t, &i.SKU),
		}
	})
	cartContents = relation.HasMany(cartItems.CartID, func(c *cart) *[]*cartItem { return &c.Items })
)

// TestKeyOnlyParent loads the children of parents that have no column but
// their generated key, inserted together.
func TestKeyOnlyParent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		db = testModel.Bind(db) // deleting a cart deletes its items
		ctx := context.Background()
		create(t, db, carts.Table, cartItems.Table)
		cs := []*cart{{}, {}, {}}
		insertMany(t, db, carts.Table, cs)
		if cs[0].ID == 0 || cs[0].ID == cs[1].ID || cs[1].ID == cs[2].ID {
			t.Fatalf("keys: got %d, %d, %d; want three distinct keys", cs[0].ID, cs[1].ID, cs[2].ID)
		}
		if n := count(t, db, carts.Table); n != 3 {
			t.Fatalf("carts stored: got %d, want 3", n)
		}
		insertMany(t, db, cartItems.Table, []*cartItem{
			{CartID: cs[0].ID, SKU: "a"}, {CartID: cs[0].ID, SKU: "b"}, {CartID: cs[2].ID, SKU: "c"},
		})
		got, err := repo.New(db, carts.Table).OrderBy(carts.ID.Asc()).Load(cartContents.OrderBy(cartItems.SKU.Asc())).All(ctx)
		must(t, "load", err)
		var b strings.Builder
		for _, c := range got {
			fmt.Fprintf(&b, "%d:%q ", len(c.Items), names(c.Items, func(i *cartItem) string { return i.SKU }))
		}
		if got, want := b.String(), `2:["a" "b"] 0:[] 1:["c"] `; got != want {
			t.Errorf("carts: got %s, want %s", got, want)
		}
		must(t, "delete", repo.New(db, carts.Table).Delete(ctx, got[0]))
		if n := count(t, db, cartItems.Table); n != 1 {
			t.Errorf("items after deleting a cart: got %d, want 1", n)
		}
	})
}
