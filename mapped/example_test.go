package mapped_test

import (
	"context"
	"fmt"
	"time"

	"github.com/genrepo/genrepo/dialect/connect"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/mapped"
)

type Author struct {
	ID    int64
	Name  string
	Email *string
}

type AuthorTable struct {
	*mapped.Table[Author]
	ID    mapped.Column[Author, int64]
	Name  mapped.TextColumn[Author, string]
	Email mapped.TextColumn[Author, *string]
}

var Authors = mapped.Define("author", func(t *mapped.Table[Author], a *Author) AuthorTable {
	return AuthorTable{Table: t,
		ID:    mapped.PrimaryKey(t, &a.ID),
		Name:  mapped.Text(t, &a.Name, mapped.Size(80)),
		Email: mapped.Text(t, &a.Email, mapped.Unique()),
	}
})

type Book struct {
	ID        int64
	Title     string
	Published time.Time
	AuthorID  int64
}

type BookTable struct {
	*mapped.Table[Book]
	ID        mapped.Column[Book, int64]
	Title     mapped.TextColumn[Book, string]
	Published mapped.Column[Book, time.Time]
	AuthorID  mapped.Column[Book, int64]
}

var Books = mapped.Define("book", func(t *mapped.Table[Book], b *Book) BookTable {
	return BookTable{Table: t,
		ID:        mapped.PrimaryKey(t, &b.ID),
		Title:     mapped.Text(t, &b.Title),
		Published: mapped.Col(t, &b.Published, mapped.Index()),
		AuthorID:  mapped.ForeignKey(t, &b.AuthorID, Authors.ID, mapped.OnDelete(mapped.Cascade)),
	}
})

// ExampleDefine maps two structs and prints the DDL CreateAll runs on
// SQLite: the referenced table first.
func ExampleDefine() {
	stmts, err := mapped.CreateSQL(sqlite.Dialect(), Books.Table, Authors.Table)
	for _, s := range stmts {
		fmt.Println(s)
	}
	fmt.Println(err)
	// Output:
	// CREATE TABLE IF NOT EXISTS "author" (
	//   "id" INTEGER PRIMARY KEY AUTOINCREMENT,
	//   "name" VARCHAR(80) NOT NULL,
	//   "email" TEXT UNIQUE
	// )
	// CREATE TABLE IF NOT EXISTS "book" (
	//   "id" INTEGER PRIMARY KEY AUTOINCREMENT,
	//   "title" TEXT NOT NULL,
	//   "published" TEXT NOT NULL,
	//   "author_id" INTEGER NOT NULL,
	//   FOREIGN KEY ("author_id") REFERENCES "author" ("id") ON DELETE CASCADE
	// )
	// CREATE INDEX IF NOT EXISTS "ix_book_published" ON "book" ("published")
	// <nil>
}

// ExampleCreateAll creates the tables, and again without error.
func ExampleCreateAll() {
	ctx := context.Background()
	db, _ := connect.Open(ctx, "sqlite::memory:")
	defer db.Close()
	fmt.Println(mapped.CreateAll(ctx, db, Authors.Table, Books.Table))
	fmt.Println(mapped.CreateAll(ctx, db, Authors.Table, Books.Table))
	fmt.Println(mapped.DropAll(ctx, db, Authors.Table, Books.Table))
	// Output:
	// <nil>
	// <nil>
	// <nil>
}
