package main

import (
	"context"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
)

// TestRun runs the tour on every dialect and checks what it prints: the
// same keys and rows on both.
func TestRun(t *testing.T) {
	want := `created tables authors and books

unit 1: add two authors with their books, one Add per author
  before the flush: Ursula K. Le Guin has id 0, "A Wizard of Earth Sea" has id 0 and author_id 0
  committed; the flush filled in the keys:
    Ursula K. Le Guin: id 1
      "A Wizard of Earth Sea"      id 1, author_id 1
      "The Tombs of Atuan"         id 2, author_id 1
      "The Left Hand of Darkness"  id 3, author_id 1
    Terry Pratchett: id 2
      "The Colour of Magic"        id 4, author_id 2
      "Mort"                       id 5, author_id 2
database:
  author 1  Ursula K. Le Guin
    book 1  A Wizard of Earth Sea
    book 2  The Tombs of Atuan
    book 3  The Left Hand of Darkness
  author 2  Terry Pratchett
    book 4  The Colour of Magic
    book 5  Mort

unit 2: load Le Guin with her books, remove one, rename one, append one
  loaded Ursula K. Le Guin with 3 books
  Get(books, 1) is the book in her collection: true
  took "The Tombs of Atuan" out of her collection
  renamed book 1 to "A Wizard of Earthsea"
  appended "The Farthest Shore"
  flushed: "The Farthest Shore" got id 6 and author_id 1
  committed; "The Tombs of Atuan" still stored: false
database:
  author 1  Ursula K. Le Guin
    book 1  A Wizard of Earthsea
    book 3  The Left Hand of Darkness
    book 6  The Farthest Shore
  author 2  Terry Pratchett
    book 4  The Colour of Magic
    book 5  Mort

unit 3: delete Pratchett, whose books go with him
  loaded Terry Pratchett (id 2) and his book "Mort" (id 5)
  deleted him and flushed
  Get(books, 5) in the same unit: not found: true
database:
  author 1  Ursula K. Le Guin
    book 1  A Wizard of Earthsea
    book 3  The Left Hand of Darkness
    book 6  The Farthest Shore

unit 4: add Banks, then in a nested unit a second Le Guin, which fails
  nested unit failed on the unique name: true
  undone: Banks has 1 book again, "The Player of Games" has id 0
  committed Iain M. Banks (id 3) with "Consider Phlebas" (id 7)
database:
  author 1  Ursula K. Le Guin
    book 1  A Wizard of Earthsea
    book 3  The Left Hand of Darkness
    book 6  The Farthest Shore
  author 3  Iain M. Banks
    book 7  Consider Phlebas

unit 5: add Butler, delete a book, rename one, flush, then fail
  flushed: Octavia E. Butler has a key: true, "Kindred" has a key: true
  books seen inside the unit: 4
  the unit returned "changed my mind" and was rolled back
  Octavia E. Butler's id is 0 again, "Kindred"'s id is 0
database:
  author 1  Ursula K. Le Guin
    book 1  A Wizard of Earthsea
    book 3  The Left Hand of Darkness
    book 6  The Farthest Shore
  author 3  Iain M. Banks
    book 7  Consider Phlebas
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

// TestRunAgain runs the tour twice on one database: it starts from a clean
// slate, so the second run prints the same as the first, keys included.
func TestRunAgain(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		var first, second strings.Builder
		if err := run(context.Background(), db, &first); err != nil {
			t.Fatal(err)
		}
		if err := run(context.Background(), db, &second); err != nil {
			t.Fatal(err)
		}
		if first.String() != second.String() {
			t.Errorf("second run:\n%s\nfirst run:\n%s", second.String(), first.String())
		}
	})
}
