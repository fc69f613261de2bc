package relation_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

// Collections: an author's books are deleted when removed from the
// collection (testModel's DeleteOrphans), with their chapters (its
// OnDelete); a pet removed from its owner's collection is released (its
// owner set to NULL).
type author struct {
	ID    int64
	Name  string
	Books []*book
}

type book struct {
	ID       int64
	AuthorID int64
	Title    string
	Chapters []*chapter
}

type chapter struct {
	ID     int64
	BookID int64
	Title  string
}

type owner struct {
	ID   int64
	Name string
	Pets []*pet
}

type pet struct {
	ID      int64
	OwnerID *int64
	Name    string
}

type authorTable struct {
	*mapped.Table[author]
	ID   mapped.Column[author, int64]
	Name mapped.TextColumn[author, string]
}

type bookTable struct {
	*mapped.Table[book]
	ID       mapped.Column[book, int64]
	AuthorID mapped.Column[book, int64]
	Title    mapped.TextColumn[book, string]
}

type chapterTable struct {
	*mapped.Table[chapter]
	ID     mapped.Column[chapter, int64]
	BookID mapped.Column[chapter, int64]
	Title  mapped.TextColumn[chapter, string]
}

type ownerTable struct {
	*mapped.Table[owner]
	ID   mapped.Column[owner, int64]
	Name mapped.TextColumn[owner, string]
}

type petTable struct {
	*mapped.Table[pet]
	ID      mapped.Column[pet, int64]
	OwnerID mapped.NullableColumn[pet, int64]
	Name    mapped.TextColumn[pet, string]
}

var (
	authors = mapped.Define("author", func(t *mapped.Table[author], a *author) authorTable {
		return authorTable{Table: t, ID: mapped.PrimaryKey(t, &a.ID), Name: mapped.Text(t, &a.Name)}
	})
	books = mapped.Define("book", func(t *mapped.Table[book], b *book) bookTable {
		return bookTable{Table: t,
			ID:       mapped.PrimaryKey(t, &b.ID),
			AuthorID: mapped.ForeignKey(t, &b.AuthorID, authors.ID),
			Title:    mapped.Text(t, &b.Title),
		}
	})
	chapters = mapped.Define("chapter", func(t *mapped.Table[chapter], c *chapter) chapterTable {
		return chapterTable{Table: t,
			ID:     mapped.PrimaryKey(t, &c.ID),
			BookID: mapped.ForeignKey(t, &c.BookID, books.ID),
			Title:  mapped.Text(t, &c.Title),
		}
	})
	owners = mapped.Define("owner", func(t *mapped.Table[owner], o *owner) ownerTable {
		return ownerTable{Table: t, ID: mapped.PrimaryKey(t, &o.ID), Name: mapped.Text(t, &o.Name)}
	})
	pets = mapped.Define("pet", func(t *mapped.Table[pet], p *pet) petTable {
		return petTable{Table: t,
			ID:      mapped.PrimaryKey(t, &p.ID),
			OwnerID: mapped.NullableForeignKey(t, &p.OwnerID, owners.ID),
			Name:    mapped.Text(t, &p.Name),
		}
	})
	authorBooks  = relation.HasMany(books.AuthorID, func(a *author) *[]*book { return &a.Books })
	bookChapters = relation.HasMany(chapters.BookID, func(b *book) *[]*chapter { return &b.Chapters })
	ownerPets    = relation.HasManyNullable(pets.OwnerID, func(o *owner) *[]*pet { return &o.Pets })
)

func bookTitle(b *book) string { return b.Title }
func petName(p *pet) string    { return p.Name }

func TestLinkUnlink(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		cin := seedCinema(t, db)
		keanu, nobody := cin.actors["Keanu"], cin.actors["Nobody"]
		links := func(t *testing.T) int64 { t.Helper(); return count(t, db, movieActors.Table) }
		// castOf reads a movie's cast from the database.
		castOf := func(t *testing.T, m *movie) []string {
			t.Helper()
			fresh := &movie{ID: m.ID}
			cast, err := movieCast.OrderBy(actors.Name.Asc()).Fetch(ctx, db, fresh)
			must(t, "fetch cast", err)
			return names(cast, actorName)
		}

		empty, err := repo.New(db, movies.Table).Where(movies.Title.Eq("Empty")).Load(movieCast).One(ctx)
		must(t, "load Empty", err)
		before := links(t)

		t.Run("Link", func(t *testing.T) {
			ctx, n := counting(ctx)
			must(t, "Link", repo.Link(ctx, db, movieCast, empty, keanu, nobody))
			if e := n.execs.Load(); e != 1 {
				t.Errorf("Link of two rows ran %d statements, want 1", e)
			}
			wantNames(t, "in the database", castOf(t, empty), []string{"Keanu", "Nobody"})
			wantNames(t, "in the loaded slice", names(empty.Actors, actorName), []string{"Keanu", "Nobody"})
		})
		t.Run("Link twice", func(t *testing.T) {
			err := repo.Link(ctx, db, movieCast, empty, keanu)
			if !errors.Is(err, dialect.ErrUnique) {
				t.Errorf("got %v, want ErrUnique", err)
			}
			wantNames(t, "in the loaded slice", names(empty.Actors, actorName), []string{"Keanu", "Nobody"})
			if got := links(t); got != before+2 {
				t.Errorf("links: got %d, want %d", got, before+2)
			}
		})
		t.Run("bad rows", func(t *testing.T) {
			unsaved := &actor{Name: "Unsaved"}
			for _, c := range []struct {
				name string
				err  error
			}{
				{"nil actor", repo.Link(ctx, db, movieCast, empty, keanu, nil)},
				{"nil movie", repo.Link(ctx, db, movieCast, nil, keanu)},
				{"actor without a key", repo.Link(ctx, db, movieCast, cin.movies["Cloud Atlas"], unsaved)},
				{"movie without a key", repo.Link(ctx, db, movieCast, &movie{Title: "Unsaved"}, nobody)},
				{"unlink nil actor", repo.Unlink(ctx, db, movieCast, empty, nil)},
				{"unlink from a movie without a key", repo.Unlink(ctx, db, movieCast, &movie{Title: "Unsaved"}, keanu)},
			} {
				if c.err == nil {
					t.Errorf("%s: no error", c.name)
				}
			}
			if got := links(t); got != before+2 {
				t.Errorf("links after refused changes: got %d, want %d", got, before+2)
			}
			if err := repo.Link(ctx, db, movieCast, empty); err != nil {
				t.Errorf("Link of no rows: %v", err)
			}
		})
		t.Run("Unlink", func(t *testing.T) {
			must(t, "Unlink", repo.Unlink(ctx, db, movieCast, empty, keanu))
			wantNames(t, "in the database", castOf(t, empty), []string{"Nobody"})
			wantNames(t, "in the loaded slice", names(empty.Actors, actorName), []string{"Nobody"})
			// The actor stays, and so do his other movies.
			if _, err := repo.New(db, actors.Table).Get(ctx, keanu.ID); err != nil {
				t.Errorf("Keanu after Unlink: %v", err)
			}
			wantNames(t, "The Matrix", castOf(t, cin.movies["The Matrix"]), []string{"Carrie-Anne", "Hugo", "Keanu", "Laurence"})
			// Unlinking what is not linked changes nothing.
			must(t, "Unlink again", repo.Unlink(ctx, db, movieCast, empty, keanu))
			if got := links(t); got != before+1 {
				t.Errorf("links: got %d, want %d", got, before+1)
			}
		})
		t.Run("unloaded slice stays unloaded", func(t *testing.T) {
			wick := &movie{ID: cin.movies["John Wick"].ID}
			must(t, "Link", repo.Link(ctx, db, movieCast, wick, nobody))
			if _, err := movieCast.Get(wick); !errors.Is(err, relation.ErrNotLoaded) {
				t.Errorf("Get after Link on an unloaded movie: got %v, want ErrNotLoaded", err)
			}
			wantNames(t, "John Wick", castOf(t, wick), []string{"Keanu", "Laurence", "Nobody"})
		})
		t.Run("Linked", func(t *testing.T) {
			wick := cin.movies["John Wick"]
			got, err := movieCast.Linked(ctx, db, wick, keanu, nobody, cin.actors["Hugo"])
			must(t, "Linked", err)
			if want := []bool{true, true, false}; !slices.Equal(got, want) {
				t.Errorf("Linked(John Wick; Keanu, Nobody, Hugo) = %v, want %v", got, want)
			}
			got, err = actorFilms.Linked(ctx, db, keanu, wick, cin.movies["Cloud Atlas"])
			must(t, "Linked from the other side", err)
			if want := []bool{true, false}; !slices.Equal(got, want) {
				t.Errorf("Linked(Keanu; John Wick, Cloud Atlas) = %v, want %v", got, want)
			}
			if got, err := movieCast.Linked(ctx, db, wick); err != nil || len(got) != 0 {
				t.Errorf("Linked of no rows = %v, %v; want none", got, err)
			}
			for name, err := range map[string]error{
				"nil actor":           func() error { _, err := movieCast.Linked(ctx, db, wick, nil); return err }(),
				"actor without a key": func() error { _, err := movieCast.Linked(ctx, db, wick, &actor{Name: "Unsaved"}); return err }(),
				"movie without a key": func() error { _, err := movieCast.Linked(ctx, db, &movie{Title: "Unsaved"}, keanu); return err }(),
			} {
				if err == nil {
					t.Errorf("Linked with a %s: no error", name)
				}
			}
		})
		t.Run("from the other side", func(t *testing.T) {
			must(t, "Link", repo.Link(ctx, db, actorFilms, nobody, cin.movies["Cloud Atlas"]))
			wantNames(t, "Cloud Atlas", castOf(t, cin.movies["Cloud Atlas"]), []string{"Hugo", "Nobody"})
			must(t, "Unlink", repo.Unlink(ctx, db, actorFilms, nobody, cin.movies["Cloud Atlas"], cin.movies["John Wick"]))
			wantNames(t, "Cloud Atlas", castOf(t, cin.movies["Cloud Atlas"]), []string{"Hugo"})
			wantNames(t, "John Wick", castOf(t, cin.movies["John Wick"]), []string{"Keanu", "Laurence"})
		})
		t.Run("rolled back", func(t *testing.T) {
			n := links(t)
			rollback := errors.New("roll back")
			err := dialect.InTx(ctx, db, func(tx dialect.Executor) error {
				must(t, "Link", repo.Link(ctx, tx, movieCast, cin.movies["Cloud Atlas"], keanu, nobody))
				return rollback
			})
			if !errors.Is(err, rollback) {
				t.Fatalf("InTx: %v", err)
			}
			if got := links(t); got != n {
				t.Errorf("links after rollback: got %d, want %d", got, n)
			}
		})
	}, countHook)
}

func TestSetClear(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		m := seedMusic(t, db)
		staff := seedStaff(t, db)
		tr := repo.New(db, tracks.Table)
		emps := repo.New(db, employees.Table)

		t.Run("Set", func(t *testing.T) {
			song := m.tracks["Lovesong"]
			doors := m.artists["Doors"]
			must(t, "Set", repo.SetParent(ctx, db, trackArtist, song, doors))
			if song.Artist != doors || song.ArtistID != doors.ID {
				t.Errorf("in memory: artist %p, key %d; want %p, %d", song.Artist, song.ArtistID, doors, doors.ID)
			}
			stored, err := tr.Get(ctx, song.ID)
			must(t, "read back", err)
			if stored.ArtistID != doors.ID || stored.Title != "Lovesong" || stored.AlbumID != song.AlbumID {
				t.Errorf("stored: %+v, want artist_id %d and the rest unchanged", stored, doors.ID)
			}
		})
		t.Run("Set refuses", func(t *testing.T) {
			song := m.tracks["Yesterday"]
			stored := *song
			for _, c := range []struct {
				name string
				err  error
			}{
				{"parent not inserted", repo.SetParent(ctx, db, trackArtist, song, &artist{Name: "New"})},
				{"nil parent", repo.SetParent(ctx, db, trackArtist, song, nil)},
				{"nil child", repo.SetParent(ctx, db, trackArtist, nil, m.artists["ABBA"])},
				{"child not inserted", repo.SetParent(ctx, db, trackArtist, &track{Title: "New"}, m.artists["ABBA"])},
				{"child not stored", repo.SetParent(ctx, db, trackArtist, &track{ID: 1 << 40, Title: "Gone"}, m.artists["ABBA"])},
				{"parent not stored", repo.SetParent(ctx, db, trackArtist, song, &artist{ID: 1 << 40, Name: "Gone"})},
			} {
				if c.err == nil {
					t.Errorf("%s: no error", c.name)
				}
			}
			if song.ArtistID != stored.ArtistID || song.Artist != stored.Artist {
				t.Errorf("in memory after refused Sets: %+v, want %+v", song, stored)
			}
			got, err := tr.Get(ctx, song.ID)
			must(t, "read back", err)
			if got.ArtistID != stored.ArtistID {
				t.Errorf("stored artist_id: got %d, want %d", got.ArtistID, stored.ArtistID)
			}
		})
		t.Run("Clear NOT NULL", func(t *testing.T) {
			song := m.tracks["Help!"]
			if err := repo.ClearParent(ctx, db, trackArtist, song); err == nil {
				t.Errorf("Clear of a NOT NULL key: no error")
			}
			got, err := tr.Get(ctx, song.ID)
			must(t, "read back", err)
			if got.ArtistID != m.artists["Beatles"].ID {
				t.Errorf("stored artist_id: got %d, want %d", got.ArtistID, m.artists["Beatles"].ID)
			}
		})
		t.Run("Clear nullable", func(t *testing.T) {
			dan := staff["Dan"]
			_, err := employeeManager.Fetch(ctx, db, dan)
			must(t, "fetch", err)
			must(t, "Clear", repo.ClearParent(ctx, db, employeeManager, dan))
			if dan.ManagerID != nil || dan.Manager != nil {
				t.Errorf("in memory: manager_id %v, manager %+v; want none", dan.ManagerID, dan.Manager)
			}
			if p, err := employeeManager.Get(dan); p != nil || err != nil {
				t.Errorf("Get after Clear: got %+v, %v; want nil, nil", p, err)
			}
			got, err := emps.Get(ctx, dan.ID)
			must(t, "read back", err)
			if got.ManagerID != nil {
				t.Errorf("stored manager_id: got %d, want NULL", *got.ManagerID)
			}
		})
		t.Run("Set nullable", func(t *testing.T) {
			zed := staff["Zed"]
			must(t, "Set", repo.SetParent(ctx, db, employeeManager, zed, staff["Cy"]))
			got, err := emps.Where(employeeManager.Has(employees.Name.Eq("Cy"))).All(ctx)
			must(t, "read back", err)
			wantNames(t, "Cy's reports", names(got, employeeName), []string{"Zed"})
			if zed.ManagerID == nil || *zed.ManagerID != staff["Cy"].ID {
				t.Errorf("in memory: manager_id %v, want %d", zed.ManagerID, staff["Cy"].ID)
			}
		})
	})
}

// library is the seeded authors, books and chapters.
type library struct {
	authors map[string]*author
	books   map[string]*book
}

// seedLibrary: Ann wrote A1 and A2 (which has two chapters), Bo wrote B1.
func seedLibrary(t testing.TB, db dialect.DB) *library {
	t.Helper()
	create(t, db, authors.Table, books.Table, chapters.Table)
	l := &library{authors: map[string]*author{"Ann": {Name: "Ann"}, "Bo": {Name: "Bo"}}, books: map[string]*book{}}
	insertMany(t, db, authors.Table, values(l.authors, "Ann", "Bo"))
	for _, b := range []struct{ title, author string }{{"A1", "Ann"}, {"A2", "Ann"}, {"B1", "Bo"}} {
		l.books[b.title] = &book{Title: b.title, AuthorID: l.authors[b.author].ID}
	}
	insertMany(t, db, books.Table, values(l.books, "A1", "A2", "B1"))
	insertMany(t, db, chapters.Table, []*chapter{
		{BookID: l.books["A2"].ID, Title: "one"}, {BookID: l.books["A2"].ID, Title: "two"},
		{BookID: l.books["A1"].ID, Title: "only"},
	})
	return l
}

func TestSaveCollection(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		plain := db
		db = testModel.Bind(db) // testModel deletes the orphans of authorBooks
		ctx := context.Background()
		booksOf := func(t *testing.T, a *author) []string {
			t.Helper()
			bs, err := authorBooks.Fetch(ctx, db, &author{ID: a.ID})
			must(t, "fetch books", err)
			return sorted(names(bs, bookTitle))
		}

		t.Run("add, remove (orphan deleted) and move", func(t *testing.T) {
			l := seedLibrary(t, db)
			ann, err := repo.New(db, authors.Table).Where(authors.Name.Eq("Ann")).
				Load(authorBooks.OrderBy(books.Title.Asc())).One(ctx)
			must(t, "load Ann", err)
			a1 := ann.Books[0]
			b1 := l.books["B1"]
			a3 := &book{Title: "A3"}
			ann.Books = []*book{a1, a3, b1} // A2 removed, A3 new, B1 moved from Bo
			must(t, "SaveCollection", repo.SaveCollection(ctx, db, authorBooks, ann))

			wantNames(t, "Ann's books", booksOf(t, ann), []string{"A1", "A3", "B1"})
			wantNames(t, "Bo's books", booksOf(t, l.authors["Bo"]), []string{})
			if a3.ID == 0 || a3.AuthorID != ann.ID {
				t.Errorf("the new book: key %d, author %d; want a key and %d", a3.ID, a3.AuthorID, ann.ID)
			}
			if b1.AuthorID != ann.ID {
				t.Errorf("the moved book in memory: author %d, want %d", b1.AuthorID, ann.ID)
			}
			if _, err := repo.New(db, books.Table).Get(ctx, l.books["A2"].ID); !errors.Is(err, repo.ErrNotFound) {
				t.Errorf("the removed book: got %v, want ErrNotFound (deleted as an orphan)", err)
			}
			// The orphan's cascade ran: its chapters went with it, A1's stayed.
			if n := count(t, db, chapters.Table); n != 1 {
				t.Errorf("chapters: got %d, want 1", n)
			}
		})
		t.Run("on a plain handle the orphan is released, not deleted", func(t *testing.T) {
			// No model bound, no DeleteOrphans: the removed book would be
			// released, which its NOT NULL key refuses; nothing is written.
			l := seedLibrary(t, plain)
			ann, err := repo.New(plain, authors.Table).Where(authors.ID.Eq(l.authors["Ann"].ID)).
				Load(authorBooks.OrderBy(books.Title.Asc())).One(ctx)
			must(t, "load Ann", err)
			before := []int64{count(t, plain, books.Table), count(t, plain, chapters.Table)}
			ann.Books = ann.Books[:1] // A2 removed
			err = repo.SaveCollection(ctx, plain, authorBooks, ann)
			if err == nil || !strings.Contains(err.Error(), "NOT NULL") {
				t.Errorf("got %v, want an error saying the key is NOT NULL", err)
			}
			if _, err := repo.New(plain, books.Table).Get(ctx, l.books["A2"].ID); err != nil {
				t.Errorf("the removed book: got %v, want it kept", err)
			}
			if got := []int64{count(t, plain, books.Table), count(t, plain, chapters.Table)}; !slices.Equal(got, before) {
				t.Errorf("books and chapters: got %v, want %v", got, before)
			}
		})
		t.Run("removed from a nullable key: released", func(t *testing.T) {
			create(t, db, owners.Table, pets.Table)
			olga := &owner{Name: "Olga"}
			insertMany(t, db, owners.Table, []*owner{olga})
			insertMany(t, db, pets.Table, []*pet{{OwnerID: &olga.ID, Name: "Rex"}, {OwnerID: &olga.ID, Name: "Tom"}})
			_, err := ownerPets.OrderBy(pets.Name.Asc()).Fetch(ctx, db, olga)
			must(t, "fetch", err)
			tom := olga.Pets[1]
			olga.Pets = olga.Pets[:1]
			must(t, "SaveCollection", repo.SaveCollection(ctx, db, ownerPets, olga))
			stored, err := repo.New(db, pets.Table).Get(ctx, tom.ID)
			must(t, "Tom", err)
			if stored.OwnerID != nil {
				t.Errorf("Tom's owner: got %d, want NULL", *stored.OwnerID)
			}
			left, err := ownerPets.Fetch(ctx, db, &owner{ID: olga.ID})
			must(t, "fetch", err)
			wantNames(t, "Olga's pets", names(left, petName), []string{"Rex"})
			if n := count(t, db, pets.Table); n != 2 {
				t.Errorf("pets: got %d, want 2 (none deleted)", n)
			}
		})
		t.Run("removed from a NOT NULL key: refused", func(t *testing.T) {
			m := seedMusic(t, db)
			abba, err := repo.New(db, artists.Table).Where(artists.Name.Eq("ABBA")).
				Load(artistAlbums.OrderBy(albums.Title.Asc())).One(ctx)
			must(t, "load", err)
			before := count(t, db, albums.Table)
			disintegration := m.albums["Disintegration"]
			// Arrival removed, Gold added, Disintegration moved from Cure.
			abba.Albums = []*album{abba.Albums[1], {Title: "Gold", Year: 1992}, disintegration}
			err = repo.SaveCollection(ctx, db, artistAlbums, abba)
			if err == nil || !strings.Contains(err.Error(), "NOT NULL") {
				t.Fatalf("got %v, want an error saying the key is NOT NULL", err)
			}
			if n := count(t, db, albums.Table); n != before {
				t.Errorf("albums: got %d, want %d (nothing inserted or deleted)", n, before)
			}
			got, err := artistAlbums.Fetch(ctx, db, &artist{ID: abba.ID})
			must(t, "fetch", err)
			wantNames(t, "ABBA's albums", sorted(names(got, albumTitle)), []string{"Arrival", "Voulez-Vous"})
			cure, err := artistAlbums.Fetch(ctx, db, &artist{ID: m.artists["Cure"].ID})
			must(t, "fetch", err)
			wantNames(t, "Cure's albums", names(cure, albumTitle), []string{"Disintegration"})
		})
		t.Run("refused before writing", func(t *testing.T) {
			l := seedLibrary(t, db)
			before := count(t, db, books.Table)
			unloaded := &author{ID: l.authors["Bo"].ID}
			if err := repo.SaveCollection(ctx, db, authorBooks, unloaded); !errors.Is(err, relation.ErrNotLoaded) {
				t.Errorf("unloaded collection: got %v, want ErrNotLoaded", err)
			}
			if err := repo.SaveCollection(ctx, db, authorBooks, &author{Name: "new", Books: []*book{}}); !errors.Is(err, repo.ErrNoKey) {
				t.Errorf("parent not inserted: got %v, want ErrNoKey", err)
			}
			withNil := &author{ID: l.authors["Bo"].ID, Books: []*book{{Title: "B2"}, nil}}
			if err := repo.SaveCollection(ctx, db, authorBooks, withNil); !errors.Is(err, repo.ErrNilRow) {
				t.Errorf("nil child: got %v, want ErrNilRow", err)
			}
			if err := repo.SaveCollection(ctx, db, authorBooks, nil); !errors.Is(err, repo.ErrNilRow) {
				t.Errorf("nil parent: got %v, want ErrNilRow", err)
			}
			if n := count(t, db, books.Table); n != before {
				t.Errorf("books: got %d, want %d", n, before)
			}
		})
		t.Run("unchanged collection writes nothing", func(t *testing.T) {
			l := seedLibrary(t, db)
			bo := l.authors["Bo"]
			_, err := authorBooks.Fetch(ctx, db, bo)
			must(t, "fetch", err)
			cctx, n := counting(ctx)
			must(t, "SaveCollection", repo.SaveCollection(cctx, db, authorBooks, bo))
			if e := n.execs.Load(); e != 0 {
				t.Errorf("statements that write: got %d, want 0", e)
			}
		})
	}, countHook)
}

// TestLinkMany links more rows than one statement takes, all or none.
// (Before Link wrote several statements, 33,000 rows failed on PostgreSQL's
// parameter limit, 16,400 on SQLite's.)
func TestLinkMany(t *testing.T) {
	const n = 2_500
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		cin := seedCinema(t, db)
		crowd := make([]*actor, n)
		for i := range crowd {
			crowd[i] = &actor{Name: fmt.Sprintf("extra %05d", i)}
		}
		insertMany(t, db, actors.Table, crowd)
		before := count(t, db, movieActors.Table)

		// The last one is in The Matrix already: nothing may be linked.
		matrix := cin.movies["The Matrix"]
		err := repo.Link(ctx, db, movieCast, matrix, append(crowd[:n-1:n-1], cin.actors["Keanu"])...)
		if !errors.Is(err, dialect.ErrUnique) {
			t.Fatalf("Link with a duplicate at the end: got %v, want ErrUnique", err)
		}
		if got := count(t, db, movieActors.Table); got != before {
			t.Fatalf("links after the failed Link: got %d, want %d", got, before)
		}

		cctx, c := counting(ctx)
		must(t, "Link", repo.Link(cctx, db, movieCast, cin.movies["Empty"], crowd...))
		if e := c.execs.Load(); e != 3 {
			t.Errorf("Link of %d rows: got %d statements, want 3", n, e)
		}
		if got := count(t, db, movieActors.Table); got != before+n {
			t.Errorf("links: got %d, want %d", got, before+n)
		}
		cast, err := movieCast.Fetch(ctx, db, &movie{ID: cin.movies["Empty"].ID})
		must(t, "fetch", err)
		if len(cast) != n {
			t.Errorf("cast: got %d, want %d", len(cast), n)
		}
		must(t, "Unlink", repo.Unlink(ctx, db, movieCast, cin.movies["Empty"], crowd...))
		if got := count(t, db, movieActors.Table); got != before {
			t.Errorf("links after Unlink: got %d, want %d", got, before)
		}
	}, countHook)
}
