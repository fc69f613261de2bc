// Command library shows a one-to-many relation with its cascades: an
// author and his books, loaded together, changed as a collection, and
// deleted with the author inside a transaction that is then rolled back.
//
//	go run ./examples/library                      # in-memory SQLite
//	go run ./examples/library -dsn sqlite:library.db
//	go run ./examples/library -dsn postgres://postgres@127.0.0.1:5432/test
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
)

// Author holds his books once they are loaded: a nil Books means "not
// loaded", an empty one "no books".
type Author struct {
	ID    int64
	Name  string
	Books []*Book
}

// Book points back to its author when it was loaded through him.
type Book struct {
	ID       int64
	Title    string
	Year     int32
	AuthorID int64
	Author   *Author
}

// AuthorTable holds the typed columns of the author table.
type AuthorTable struct {
	*mapped.Table[Author]
	ID   mapped.Column[Author, int64]
	Name mapped.TextColumn[Author, string]
}

var Authors = mapped.Define("author", func(t *mapped.Table[Author], a *Author) AuthorTable {
	return AuthorTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, &a.ID),
		Name:  mapped.Text(t, &a.Name, mapped.Size(100), mapped.Unique()),
	}
})

// BookTable holds the typed columns of the book table. The Books and
// Author fields are not columns: relations fill them.
type BookTable struct {
	*mapped.Table[Book]
	ID       mapped.Column[Book, int64]
	Title    mapped.TextColumn[Book, string]
	Year     mapped.Column[Book, int32]
	AuthorID mapped.Column[Book, int64]
}

var Books = mapped.Define("book", func(t *mapped.Table[Book], b *Book) BookTable {
	return BookTable{
		Table:    t,
		ID:       mapped.PrimaryKey(t, &b.ID),
		Title:    mapped.Text(t, &b.Title, mapped.Size(200)),
		Year:     mapped.Col(t, &b.Year),
		AuthorID: mapped.ForeignKey(t, &b.AuthorID, Authors.ID, mapped.Index()),
	}
})

// AuthorBooks is the author's collection of books. Loading it also sets
// each book's Author (Back).
var AuthorBooks = relation.HasMany(Books.AuthorID, func(a *Author) *[]*Book { return &a.Books }).
	Back(func(b *Book) **Author { return &b.Author })

// Model is the library's schema and what its relation does, on a handle
// bound to it: deleting an author deletes his books (OnDelete with
// mapped.Cascade, which also gives the foreign key ON DELETE CASCADE in
// Model.CreateAll); and a book taken out of the collection is deleted when
// the collection is saved (DeleteOrphans), since a book cannot exist
// without an author.
var Model = model.MustNew(
	model.Tables(Authors.Table, Books.Table),
	model.OnDelete(AuthorBooks, mapped.Cascade),
	model.DeleteOrphans(AuthorBooks),
)

func main() { cli.Main(run) }

// run is the tour itself, writing what it sees to out.
func run(ctx context.Context, db dialect.DB, out io.Writer) error {
	p := cli.Printer{W: out}
	// The model acts through the handle bound to it, and through the
	// transactions begun from it.
	db = Model.Bind(db)

	// Start from a clean slate so the program can be run again.
	if err := Model.DropAll(ctx, db); err != nil {
		return err
	}
	if err := Model.CreateAll(ctx, db); err != nil {
		return err
	}
	p.Println("created tables author and book")
	authors := repo.New(db, Authors.Table)
	books := repo.New(db, Books.Table)

	// Insert an author, then save his collection: every book without a
	// key yet is inserted with his key as its author_id.
	tolkien := &Author{Name: "J. R. R. Tolkien", Books: []*Book{
		{Title: "The Hobbit", Year: 1937},
		{Title: "The Fellowship of the Ring", Year: 1954},
		{Title: "The Two Towers", Year: 1954},
	}}
	if err := authors.Insert(ctx, tolkien); err != nil {
		return err
	}
	if err := repo.SaveCollection(ctx, db, AuthorBooks, tolkien); err != nil {
		return err
	}
	p.Printf("inserted %s (id %d) with %d books\n", tolkien.Name, tolkien.ID, len(tolkien.Books))

	// Another author, so that we can see which books a cascade leaves alone.
	leGuin := &Author{Name: "Ursula K. Le Guin", Books: []*Book{{Title: "A Wizard of Earthsea", Year: 1968}}}
	if err := authors.Insert(ctx, leGuin); err != nil {
		return err
	}
	if err := repo.SaveCollection(ctx, db, AuthorBooks, leGuin); err != nil {
		return err
	}

	// Load the author with his books, eagerly: one query for the author,
	// one for the books of every author the first one returned.
	author, err := loadAuthor(ctx, authors, tolkien.Name)
	if err != nil {
		return err
	}
	p.Printf("loaded %s with his books:\n", author.Name)
	for _, b := range author.Books {
		// Back filled b.Author with the very author loaded above.
		p.Printf("  %d  %-28s by %s\n", b.Year, b.Title, b.Author.Name)
	}

	// Add a book to the collection and save it: the new book is inserted.
	rotk := &Book{Title: "The Return of the King", Year: 1955}
	author.Books = append(author.Books, rotk)
	if err := repo.SaveCollection(ctx, db, AuthorBooks, author); err != nil {
		return err
	}
	p.Printf("added %q as book %d\n", rotk.Title, rotk.ID)

	// Take a book out of the collection and save it again: the model deletes
	// the relation's orphans, so the book is deleted rather than left
	// without author.
	hobbit := author.Books[0]
	author.Books = slices.DeleteFunc(author.Books, func(b *Book) bool { return b == hobbit })
	if err := repo.SaveCollection(ctx, db, AuthorBooks, author); err != nil {
		return err
	}
	stored, err := books.Where(Books.ID.Eq(hobbit.ID)).Exists(ctx)
	if err != nil {
		return err
	}
	p.Printf("removed %q: still stored? %t\n", hobbit.Title, stored)
	if err := printAuthor(ctx, p, authors, tolkien.Name); err != nil {
		return err
	}

	// Delete the author inside a transaction, look around, and roll back:
	// the author and his books are back, as if nothing had happened.
	tx, err := db.Begin(ctx, dialect.TxOptions{})
	if err != nil {
		return err
	}
	if err := errors.Join(deleteAuthor(ctx, p, tx, author), tx.Rollback(ctx)); err != nil {
		return err
	}
	p.Println("rolled back")
	return printAuthor(ctx, p, authors, tolkien.Name)
}

// deleteAuthor deletes the author in tx, begun from the bound handle: his
// books go with him, in the same transaction (the model's OnDelete with
// mapped.Cascade), deepest rows first.
func deleteAuthor(ctx context.Context, p cli.Printer, tx dialect.Tx, a *Author) error {
	if err := repo.New(tx, Authors.Table).Delete(ctx, a); err != nil {
		return err
	}
	p.Printf("in a transaction: deleted %s\n", a.Name)
	books := repo.New(tx, Books.Table)
	his, err := books.Where(Books.AuthorID.Eq(a.ID)).Count(ctx)
	if err != nil {
		return err
	}
	all, err := books.Count(ctx)
	if err != nil {
		return err
	}
	p.Printf("  books of his left: %d; books in all: %d\n", his, all)
	return nil
}

// loadAuthor returns the author with the given name, his books loaded in
// order of publication.
func loadAuthor(ctx context.Context, authors *repo.Repo[Author], name string) (*Author, error) {
	return authors.Load(AuthorBooks.OrderBy(Books.Year.Asc(), Books.Title.Asc())).
		Where(Authors.Name.Eq(name)).
		One(ctx)
}

// printAuthor reads the author afresh from the database and prints his
// books.
func printAuthor(ctx context.Context, p cli.Printer, authors *repo.Repo[Author], name string) error {
	a, err := loadAuthor(ctx, authors, name)
	if err != nil {
		return err
	}
	p.Printf("%s has %d books:\n", a.Name, len(a.Books))
	for _, b := range a.Books {
		p.Printf("  %d  %s\n", b.Year, b.Title)
	}
	return nil
}
