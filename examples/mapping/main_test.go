package main

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
)

// TestRun runs the program on every dialect and checks what it prints.
func TestRun(t *testing.T) {
	want := `Moloko written with 2 albums and 3 tracks
Familiar Feeling is on Statues (loaded with its back-pointer)
after deleting Moloko: 0 tracks
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

// mapping returns the lines between the markers of main.go, and the
// number of them that are not blank.
func mapping(t *testing.T) (string, int) {
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(src), "// mapping:start\n")
	block, _, ok2 := strings.Cut(rest, "\n// mapping:end")
	if !ok || !ok2 {
		t.Fatal("main.go lacks the mapping markers")
	}
	n := 0
	for _, l := range strings.Split(block, "\n") {
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	return strings.TrimSpace(block), n
}

// TestMappingLines checks that the mapping (structs, tables, relations
// with back-pointers, the model with its cascades) takes at most 45
// non-blank lines, and that the README shows it as it is, with its count.
func TestMappingLines(t *testing.T) {
	block, n := mapping(t)
	if n > 45 {
		t.Errorf("the mapping takes %d lines, over 45", n)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), block) {
		t.Errorf("README.md does not show the mapping of examples/mapping/main.go as it is:\n%s", block)
	}
	if claim := "Go: " + itoa(n) + " lines"; !strings.Contains(string(readme), claim) {
		t.Errorf("README.md does not say %q", claim)
	}
}

func itoa(n int) string {
	return strings.TrimSpace(strings.Repeat(" ", 0) + string(rune('0'+n/10)) + string(rune('0'+n%10)))
}
