package main

import (
	"context"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
)

// TestRun runs the tour on every dialect and checks what it prints.
func TestRun(t *testing.T) {
	want := `created tables author and book
inserted J. R. R. Tolkien (id 1) with 3 books
loaded J. R. R. Tolkien with his books:
  1937  The Hobbit                   by J. R. R. Tolkien
  1954  The Fellowship of the Ring   by J. R. R. Tolkien
  1954  The Two Towers               by J. R. R. Tolkien
added "The Return of the King" as book 5
removed "The Hobbit": still stored? false
J. R. R. Tolkien has 3 books:
  1954  The Fellowship of the Ring
  1954  The Two Towers
  1955  The Return of the King
in a transaction: deleted J. R. R. Tolkien
  books of his left: 0; books in all: 1
rolled back
J. R. R. Tolkien has 3 books:
  1954  The Fellowship of the Ring
  1954  The Two Towers
  1955  The Return of the King
`
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		var out strings.Builder
		if err := run(context.Background(), db, &out); err != nil {
			t.Fatal(err)
		}
		if got := out.String(); got != want {
			t.Errorf("output:\n%s\nwant:\n%s", got, want)
		}
	})
}
