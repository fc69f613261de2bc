// Package v1 is the first version of the migrations example's model:
// authors and their books.
package v1

import (
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/relation"
)

// Author is a row of author.
type Author struct {
	ID    int64
	Name  string
	Email string
	Books []*Book
}

// AuthorTable holds author's columns.
type AuthorTable struct {
	*mapped.Table[Author]
	ID    mapped.Column[Author, int64]
	Name  mapped.TextColumn[Author, string]
	Email mapped.TextColumn[Author, string]
}

// Authors maps author.
var Authors = mapped.Define("author", func(t *mapped.Table[Author], a *Author) AuthorTable {
	return AuthorTable{t,
		mapped.PrimaryKey(t, &a.ID),
		mapped.Text(t, &a.Name, mapped.Size(80), mapped.Unique()),
		mapped.Text(t, &a.Email)}
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
	return BookTable{t,
		mapped.PrimaryKey(t, &b.ID),
		mapped.ForeignKey(t, &b.AuthorID, Authors.ID),
		mapped.Text(t, &b.Title)}
})

// AuthorBooks is an author's books.
var AuthorBooks = relation.HasMany(Books.AuthorID, func(a *Author) *[]*Book { return &a.Books })

// Model is version 1 of the schema.
var Model = model.MustNew(model.Tables(Authors, Books))
