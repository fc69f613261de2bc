// Package v1 is the first version of the migration story's model: authors
// and their books.
package v1

import (
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
)

// Author is a row of author.
type Author struct {
	ID    int64
	Name  string
	Email string
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
	at := AuthorTable{Table: t}
	at.ID = mapped.PrimaryKey(t, &a.ID)
	at.Name = mapped.Text(t, &a.Name, mapped.Size(80), mapped.Unique())
	at.Email = mapped.Text(t, &a.Email)
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
	bt.Title = mapped.Text(t, &b.Title)
	return bt
})

// Model is the story's model, version 1.
var Model = model.MustNew(model.Tables(Authors, Books))
