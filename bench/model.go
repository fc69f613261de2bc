package bench

import (
	"github.com/uptrace/bun"

	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/relation"
)

// Item is the row of the CRUD benchmarks: eight columns of the usual
// kinds. The tags are GORM's and bun's; genrepo needs none. bun.BaseModel
// is an empty struct that names bun's table.
type Item struct {
	bun.BaseModel `bun:"table:item" gorm:"-"`

	ID      int64 `bun:"id,pk,autoincrement" gorm:"primaryKey"`
	Name    string
	Title   string
	Fax     string
	Web     string
	Age     int64
	Active  bool
	Counter int64
}

// TableName names GORM's table.
func (Item) TableName() string { return "item" }

// Author has many books: the eager-loading benchmark reads authors with
// their books.
type Author struct {
	bun.BaseModel `bun:"table:author" gorm:"-"`

	ID    int64   `bun:"id,pk,autoincrement" gorm:"primaryKey"`
	Name  string  `bun:"name"`
	Books []*Book `bun:"rel:has-many,join:id=author_id" gorm:"foreignKey:AuthorID"`
}

// TableName names GORM's table.
func (Author) TableName() string { return "author" }

// Book belongs to an author.
type Book struct {
	bun.BaseModel `bun:"table:book" gorm:"-"`

	ID       int64 `bun:"id,pk,autoincrement" gorm:"primaryKey"`
	AuthorID int64
	Title    string
	Pages    int64
}

// TableName names GORM's table.
func (Book) TableName() string { return "book" }

// ItemTable is genrepo's mapping of Item.
type ItemTable struct {
	*mapped.Table[Item]
	ID      mapped.Column[Item, int64]
	Name    mapped.TextColumn[Item, string]
	Title   mapped.TextColumn[Item, string]
	Fax     mapped.TextColumn[Item, string]
	Web     mapped.TextColumn[Item, string]
	Age     mapped.Column[Item, int64]
	Active  mapped.Column[Item, bool]
	Counter mapped.Column[Item, int64]
}

// Items maps Item to the table item.
var Items = mapped.Define("item", func(t *mapped.Table[Item], r *Item) ItemTable {
	return ItemTable{
		Table:   t,
		ID:      mapped.PrimaryKey(t, &r.ID),
		Name:    mapped.Text(t, &r.Name),
		Title:   mapped.Text(t, &r.Title),
		Fax:     mapped.Text(t, &r.Fax),
		Web:     mapped.Text(t, &r.Web),
		Age:     mapped.Col(t, &r.Age),
		Active:  mapped.Col(t, &r.Active),
		Counter: mapped.Col(t, &r.Counter),
	}
})

// AuthorTable is genrepo's mapping of Author.
type AuthorTable struct {
	*mapped.Table[Author]
	ID   mapped.Column[Author, int64]
	Name mapped.TextColumn[Author, string]
}

// Authors maps Author to the table author.
var Authors = mapped.Define("author", func(t *mapped.Table[Author], r *Author) AuthorTable {
	return AuthorTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, &r.ID),
		Name:  mapped.Text(t, &r.Name),
	}
})

// BookTable is genrepo's mapping of Book.
type BookTable struct {
	*mapped.Table[Book]
	ID       mapped.Column[Book, int64]
	AuthorID mapped.Column[Book, int64]
	Title    mapped.TextColumn[Book, string]
	Pages    mapped.Column[Book, int64]
}

// Books maps Book to the table book.
var Books = mapped.Define("book", func(t *mapped.Table[Book], r *Book) BookTable {
	return BookTable{
		Table:    t,
		ID:       mapped.PrimaryKey(t, &r.ID),
		AuthorID: mapped.ForeignKey(t, &r.AuthorID, Authors.ID),
		Title:    mapped.Text(t, &r.Title),
		Pages:    mapped.Col(t, &r.Pages),
	}
})

// AuthorBooks is genrepo's relation from an author to its books.
var AuthorBooks = relation.HasMany(Books.AuthorID, func(a *Author) *[]*Book { return &a.Books })
