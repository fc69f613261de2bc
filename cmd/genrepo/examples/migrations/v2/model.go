// Package v2 is the second version of the migrations example's model. Since
// v1: an author has a bio (a column added) and may have no email (a column
// made nullable), books are indexed by title, and books have reviews (a
// new related table).
package v2

import (
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/relation"
)

// Author is a row of author.
type Author struct {
	ID    int64
	Name  string
	Email *string // was string
	Bio   *string // new
	Books []*Book
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
	return AuthorTable{t,
		mapped.PrimaryKey(t, &a.ID),
		mapped.Text(t, &a.Name, mapped.Size(80), mapped.Unique()),
		mapped.Text(t, &a.Email),
		mapped.Text(t, &a.Bio)}
})

// Book is a row of book.
type Book struct {
	ID       int64
	AuthorID int64
	Title    string
	Reviews  []*Review
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
	return BookTable{t,
		mapped.PrimaryKey(t, &b.ID),
		mapped.ForeignKey(t, &b.AuthorID, Authors.ID),
		mapped.Text(t, &b.Title, mapped.Index())} // new index
})

// Review is a row of review, a new table.
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
	return ReviewTable{t,
		mapped.PrimaryKey(t, &r.ID),
		mapped.ForeignKey(t, &r.BookID, Books.ID, mapped.OnDelete(mapped.Cascade)),
		mapped.Col(t, &r.Stars, mapped.Default(0))}
})

// AuthorBooks is an author's books.
var AuthorBooks = relation.HasMany(Books.AuthorID, func(a *Author) *[]*Book { return &a.Books })

// BookReviews is a book's reviews.
var BookReviews = relation.HasMany(Reviews.BookID, func(b *Book) *[]*Review { return &b.Reviews })

// Model is version 2 of the schema.
var Model = model.MustNew(model.Tables(Authors, Books, Reviews))
