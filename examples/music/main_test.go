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
	want := `inserted Queen as 1 and m83 as 2
second Queen refused: true
found "m83" with id 2
renamed to "M83"
  Bohemian Rhapsody  5:54
  Wait               5:43
  Midnight City      4:03
  Queen: Bohemian Rhapsody (354s)
  Queen: Love of My Life (219s)
seconds of music by artists starting with M: 586
after deleting Queen: 2 tracks left
second delete: true
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
