// Command bookshop is a tour of the unit of work (package uow): a
// transaction that tracks the rows it loads and adds, and writes them all
// at once, in an order the foreign keys accept, when it is flushed.
//
// The shop's authors own their books through a relation that its model
// (package model) has the units follow (uow.Follow): adding an author adds
// the books in his collection, with his generated key as their author_id;
// a book taken out of a loaded collection is deleted (DeleteOrphans);
// deleting an author deletes his books (OnDelete with mapped.Cascade). The
// program adds books, removes one, deletes an author, undoes a nested unit
// and rolls a whole unit back, printing after each step what the database
// holds.
//
//	go run ./examples/bookshop                      # in-memory SQLite
//	go run ./examples/bookshop -dsn sqlite:bookshop.db
//	go run ./examples/bookshop -dsn postgres://postgres@127.0.0.1:5432/test
//	go run ./examples/bookshop -echo                # and every statement on stderr
package main

import (
	"context"
	"errors"
	"io"
	"slices"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/examples/internal/cli"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// Author holds his books once they are loaded or given to him: a nil Books
// means "not loaded", which a unit leaves alone.
type Author struct {
	ID    int64
	Name  string
	Books []*Book
}

// Book points back to its author when it was loaded through him.
type Book struct {
	ID       int64
	Title    string
	AuthorID int64
	Author   *Author
}

// AuthorTable holds the typed columns of the authors table.
type AuthorTable struct {
	*mapped.Table[Author]
	ID   mapped.Column[Author, int64]
	Name mapped.TextColumn[Author, string]
}

// Authors is the authors table; an author's name is unique.
var Authors = mapped.Define("authors", func(t *mapped.Table[Author], a *Author) AuthorTable {
	return AuthorTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, &a.ID),
		Name:  mapped.Text(t, &a.Name, mapped.Size(100), mapped.Unique()),
	}
})

// BookTable holds the typed columns of the books table.
type BookTable struct {
	*mapped.Table[Book]
	ID       mapped.Column[Book, int64]
	Title    mapped.TextColumn[Book, string]
	AuthorID mapped.Column[Book, int64]
}

// Books is the books table; every book has an author (author_id is NOT
// NULL).
var Books = mapped.Define("books", func(t *mapped.Table[Book], b *Book) BookTable {
	return BookTable{
		Table:    t,
		ID:       mapped.PrimaryKey(t, &b.ID),
		Title:    mapped.Text(t, &b.Title, mapped.Size(200)),
		AuthorID: mapped.ForeignKey(t, &b.AuthorID, Authors.ID, mapped.Index()),
	}
})

// AuthorBooks is the author's collection of books. Loading it also sets
// each book's Author (Back). What it does when rows are written or deleted
// is the model's to say (Model).
var AuthorBooks = relation.HasMany(Books.AuthorID, func(a *Author) *[]*Book { return &a.Books }).
	Back(func(b *Book) **Author { return &b.Author })

// Model is the shop's schema. Every unit of work on a handle bound to it
// follows AuthorBooks (uow.Follow): a unit that writes an author writes
// the books in his collection too. Deleting an author deletes his books
// (OnDelete with mapped.Cascade, which also gives the foreign key ON DELETE
// CASCADE in Model.CreateAll), and a book taken out of a loaded collection
// is deleted (DeleteOrphans), since a book cannot be kept without an
// author.
var Model = model.MustNew(
	model.Tables(Authors.Table, Books.Table),
	model.OnDelete(AuthorBooks, mapped.Cascade),
	model.DeleteOrphans(AuthorBooks),
	uow.Follow(AuthorBooks),
)

// errChangedMind is what the last unit returns to be rolled back.
var errChangedMind = errors.New("changed my mind")

func main() { cli.Main(run) }

// run is the tour itself, writing what it sees to out.
func run(ctx context.Context, db dialect.DB, out io.Writer) error {
	p := cli.Printer{W: out}
	// The model acts through the handle bound to it: units of work begun
	// from db follow AuthorBooks, and deletes through it cascade.
	db = Model.Bind(db)

	// Start from a clean slate so the program can be run again: dropping
	// the tables drops their key sequences too, so keys start at 1.
	if err := Model.DropAll(ctx, db); err != nil {
		return err
	}
	if err := Model.CreateAll(ctx, db); err != nil {
		return err
	}
	p.Println("created tables authors and books")

	steps := []func(context.Context, cli.Printer, dialect.DB) error{
		addAuthors, editCollection, deleteAuthor, nestedUnit, rollBack,
	}
	for _, step := range steps {
		p.Println()
		if err := step(ctx, p, db); err != nil {
			return err
		}
		if err := printShop(ctx, p, db); err != nil {
			return err
		}
	}
	return nil
}

// addAuthors adds two authors, each with his books: one uow.Add per
// author. At the commit, the flush inserts the authors, then their books
// with the keys the authors were just given.
func addAuthors(ctx context.Context, p cli.Printer, db dialect.DB) error {
	p.Println("unit 1: add two authors with their books, one Add per author")
	leGuin := &Author{Name: "Ursula K. Le Guin", Books: []*Book{
		{Title: "A Wizard of Earth Sea"}, // a typo, fixed by unit 2
		{Title: "The Tombs of Atuan"},
		{Title: "The Left Hand of Darkness"},
	}}
	pratchett := &Author{Name: "Terry Pratchett", Books: []*Book{
		{Title: "The Colour of Magic"},
		{Title: "Mort"},
	}}
	err := uow.Run(ctx, db, func(u *uow.Unit) error {
		if err := uow.Add(u, Authors.Table, leGuin); err != nil {
			return err
		}
		if err := uow.Add(u, Authors.Table, pratchett); err != nil {
			return err
		}
		p.Printf("  before the flush: %s has id %d, %q has id %d and author_id %d\n",
			leGuin.Name, leGuin.ID, leGuin.Books[0].Title, leGuin.Books[0].ID, leGuin.Books[0].AuthorID)
		return nil // Run flushes and commits
	})
	if err != nil {
		return err
	}
	p.Println("  committed; the flush filled in the keys:")
	for _, a := range []*Author{leGuin, pratchett} {
		p.Printf("    %s: id %d\n", a.Name, a.ID)
		for _, b := range a.Books {
			p.Printf("      %-28q id %d, author_id %d\n", b.Title, b.ID, b.AuthorID)
		}
	}
	return nil
}

// editCollection loads an author with her books and changes the
// collection in place: the flush deletes the book taken out (an orphan),
// updates the renamed one (its title only), and inserts the one appended
// with her key.
func editCollection(ctx context.Context, p cli.Printer, db dialect.DB) error {
	p.Println("unit 2: load Le Guin with her books, remove one, rename one, append one")
	var removed, added *Book
	err := uow.Run(ctx, db, func(u *uow.Unit) error {
		found, err := uow.Find(ctx, u, repo.New(db, Authors.Table).
			Load(AuthorBooks.OrderBy(Books.ID.Asc())).
			Where(Authors.Name.Eq("Ursula K. Le Guin")))
		if err != nil {
			return err
		}
		leGuin := found[0]
		p.Printf("  loaded %s with %d books\n", leGuin.Name, len(leGuin.Books))

		// The books loaded through the relation are the unit's too: Get
		// returns the very same pointer, without a statement.
		wizard, err := uow.Get(ctx, u, Books.Table, leGuin.Books[0].ID)
		if err != nil {
			return err
		}
		p.Printf("  Get(books, %d) is the book in her collection: %t\n", wizard.ID, wizard == leGuin.Books[0])

		removed = leGuin.Books[1]
		leGuin.Books = slices.Delete(leGuin.Books, 1, 2)
		p.Printf("  took %q out of her collection\n", removed.Title)
		wizard.Title = "A Wizard of Earthsea"
		p.Printf("  renamed book %d to %q\n", wizard.ID, wizard.Title)
		added = &Book{Title: "The Farthest Shore"}
		leGuin.Books = append(leGuin.Books, added)
		p.Printf("  appended %q\n", added.Title)

		// One INSERT, one UPDATE of the title alone, one DELETE (run
		// with -echo to see them).
		if err := u.Flush(ctx); err != nil {
			return err
		}
		p.Printf("  flushed: %q got id %d and author_id %d\n", added.Title, added.ID, added.AuthorID)
		return nil
	})
	if err != nil {
		return err
	}
	stored, err := repo.New(db, Books.Table).Where(Books.ID.Eq(removed.ID)).Exists(ctx)
	if err != nil {
		return err
	}
	p.Printf("  committed; %q still stored: %t\n", removed.Title, stored)
	return nil
}

// deleteAuthor deletes an author: the cascade deletes his books, and the
// unit forgets the ones it had loaded.
func deleteAuthor(ctx context.Context, p cli.Printer, db dialect.DB) error {
	p.Println("unit 3: delete Pratchett, whose books go with him")
	return uow.Run(ctx, db, func(u *uow.Unit) error {
		found, err := uow.Find(ctx, u, repo.New(db, Authors.Table).Where(Authors.Name.Eq("Terry Pratchett")))
		if err != nil {
			return err
		}
		pratchett := found[0]
		books, err := uow.Find(ctx, u, repo.New(db, Books.Table).Where(Books.AuthorID.Eq(pratchett.ID)).OrderBy(Books.ID.Asc()))
		if err != nil {
			return err
		}
		mort := books[len(books)-1]
		p.Printf("  loaded %s (id %d) and his book %q (id %d)\n", pratchett.Name, pratchett.ID, mort.Title, mort.ID)
		if err := uow.Delete(u, Authors.Table, pratchett); err != nil {
			return err
		}
		if err := u.Flush(ctx); err != nil {
			return err
		}
		p.Println("  deleted him and flushed")
		_, err = uow.Get(ctx, u, Books.Table, mort.ID)
		p.Printf("  Get(books, %d) in the same unit: not found: %t\n", mort.ID, errors.Is(err, repo.ErrNotFound))
		return nil
	})
}

// nestedUnit runs a nested unit that fails: only what it did is undone,
// and the outer unit commits the rest.
func nestedUnit(ctx context.Context, p cli.Printer, db dialect.DB) error {
	p.Println("unit 4: add Banks, then in a nested unit a second Le Guin, which fails")
	banks := &Author{Name: "Iain M. Banks", Books: []*Book{{Title: "Consider Phlebas"}}}
	player := &Book{Title: "The Player of Games"}
	err := uow.Run(ctx, db, func(u *uow.Unit) error {
		if err := uow.Add(u, Authors.Table, banks); err != nil {
			return err
		}
		// Nested flushes the outer unit's work first: Banks is stored
		// before the savepoint.
		err := u.Nested(ctx, func(u *uow.Unit) error {
			banks.Books = append(banks.Books, player)
			return uow.Add(u, Authors.Table, &Author{Name: "Ursula K. Le Guin"})
		})
		p.Printf("  nested unit failed on the unique name: %t\n", errors.Is(err, dialect.ErrUnique))
		p.Printf("  undone: Banks has %d book again, %q has id %d\n", len(banks.Books), player.Title, player.ID)
		return nil // the outer unit carries on, and commits
	})
	if err != nil {
		return err
	}
	p.Printf("  committed %s (id %d) with %q (id %d)\n", banks.Name, banks.ID, banks.Books[0].Title, banks.Books[0].ID)
	return nil
}

// rollBack makes changes of every kind, flushes them, and returns an
// error: the unit rolls back, the database is as it was, and the keys
// the flush generated are cleared.
func rollBack(ctx context.Context, p cli.Printer, db dialect.DB) error {
	p.Println("unit 5: add Butler, delete a book, rename one, flush, then fail")
	butler := &Author{Name: "Octavia E. Butler", Books: []*Book{{Title: "Kindred"}}}
	var renamed *Book
	err := uow.Run(ctx, db, func(u *uow.Unit) error {
		if err := uow.Add(u, Authors.Table, butler); err != nil {
			return err
		}
		shore, err := uow.Find(ctx, u, repo.New(db, Books.Table).Where(Books.Title.Eq("The Farthest Shore")))
		if err != nil {
			return err
		}
		if err := uow.Delete(u, Books.Table, shore[0]); err != nil {
			return err
		}
		phlebas, err := uow.Find(ctx, u, repo.New(db, Books.Table).Where(Books.Title.Eq("Consider Phlebas")))
		if err != nil {
			return err
		}
		renamed = phlebas[0]
		renamed.Title = "Consider Phlebas (2nd edition)"
		if err := u.Flush(ctx); err != nil {
			return err
		}
		// A PostgreSQL sequence does not go back when an INSERT fails or
		// is undone (unit 4's nested one used a key), so the keys given
		// here differ between the dialects: only whether there is one is
		// printed.
		p.Printf("  flushed: %s has a key: %t, %q has a key: %t\n",
			butler.Name, butler.ID != 0, butler.Books[0].Title, butler.Books[0].ID != 0)
		n, err := repo.New(u.Tx(), Books.Table).Count(ctx)
		if err != nil {
			return err
		}
		p.Printf("  books seen inside the unit: %d\n", n)
		return errChangedMind
	})
	if !errors.Is(err, errChangedMind) {
		return err
	}
	p.Printf("  the unit returned %q and was rolled back\n", err)
	p.Printf("  %s's id is %d again, %q's id is %d\n", butler.Name, butler.ID, butler.Books[0].Title, butler.Books[0].ID)
	return nil
}

// printShop reads every author and book afresh from the database and
// prints them by key.
func printShop(ctx context.Context, p cli.Printer, db dialect.DB) error {
	authors, err := repo.New(db, Authors.Table).
		Load(AuthorBooks.OrderBy(Books.ID.Asc())).
		OrderBy(Authors.ID.Asc()).
		All(ctx)
	if err != nil {
		return err
	}
	p.Println("database:")
	for _, a := range authors {
		p.Printf("  author %d  %s\n", a.ID, a.Name)
		for _, b := range a.Books {
			p.Printf("    book %d  %s\n", b.ID, b.Title)
		}
	}
	return nil
}
