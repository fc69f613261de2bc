// Package v2 is the second version of the migration story's model: an
// author has a bio (a column added) and may have no email (a column made
// nullable), books are indexed by title, and books have reviews (a new
// related table).
package v2

import (
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
)

// Author is a row of author.
type Author struct {
	ID    int64
	Name  string
	Email *string
	Bio   *string
}

// AuthorTable holds author's columns.
type AuthorTable struct {
	*mapped.Table[Author]
	ID    mapped.Column[Author, int64]
	Name  mapped.TextColumn[Author, string]
	Email mapped.TextColumn[Author, *string]
	Bio   mapped.TextColumn[Author, *string]
}

// Authors maps author.
var Authors = mapped.Define("author", func(t *mapped.Table[Author], a *Author) AuthorTable {
	at := AuthorTable{Table: t}
	at.ID = mapped.PrimaryKey(t, &a.ID)
	at.Name = mapped.Text(t, &a.Name, mapped.Size(80), mapped.Unique())
	at.Email = mapped.Text(t, &a.Email)
	at.Bio = mapped.Text(t, &a.Bio)
	return at
})

// Book is a row of book.
type Book struct {
	ID       int64
	AuthorID int64
	Title    string
}

// BookTable holds book's columns.
type BookTable struct {
	*mapped.Table[Book]
	ID       mapped.Column[Book, int64]
	AuthorID mapped.Column[Book, int64]
	Title    mapped.TextColumn[Book, string]
}

// Books maps book.
var Books = mapped.Define("book", func(t *mapped.Table[Book], b *Book) BookTable {
	bt := BookTable{Table: t}
	bt.ID = mapped.PrimaryKey(t, &b.ID)
	bt.AuthorID = mapped.ForeignKey(t, &b.AuthorID, Authors.ID)
	bt.Title = mapped.Text(t, &b.Title, mapped.Index())
	return bt
})

// Review is a row of review.
type Review struct {
	ID     int64
	BookID int64
	Stars  int64
}

// ReviewTable holds review's columns.
type ReviewTable struct {
	*mapped.Table[Review]
	ID     mapped.Column[Review, int64]
	BookID mapped.Column[Review, int64]
	Stars  mapped.Column[Review, int64]
}

// Reviews maps review.
var Reviews = mapped.Define("review", func(t *mapped.Table[Review], r *Review) ReviewTable {
	rt := ReviewTable{Table: t}
	rt.ID = mapped.PrimaryKey(t, &r.ID)
	rt.BookID = mapped.ForeignKey(t, &r.BookID, Books.ID, mapped.OnDelete(mapped.Cascade))
	rt.Stars = mapped.Col(t, &r.Stars, mapped.Default(0))
	return rt
})

// Model is the story's model, version 2. Its variable is named Model too;
// the test names it explicitly as PKGPATH.Model.
var Model = model.MustNew(model.Tables(Authors, Books, Reviews))
