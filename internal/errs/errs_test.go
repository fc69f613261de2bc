package errs

import (
	"errors"
	"testing"
)

func TestClean(t *testing.T) {
	cases := []struct{ in, want string }{
		{"repo: get note: repo: missing or zero primary key: mapped: key note.id: got int",
			"repo: get note: missing or zero primary key: key note.id: got int"},
		{"uow: unit failed; roll it back: repo: update doc: repo: stale row",
			"uow: unit failed; roll it back: update doc: stale row"},
		{"repo: insert t: dialect: unique constraint violated on t.a: UNIQUE constraint failed: t.a (2067)",
			"repo: insert t: unique constraint violated on t.a: UNIQUE constraint failed: t.a (2067)"},
		{"no prefix at all", "no prefix at all"},
		{"repo: ends with a package: repo", "repo: ends with a package: repo"},
		{"repo: the word repo inside a segment stays: repository", "repo: the word repo inside a segment stays: repository"},
	}
	for _, c := range cases {
		if got := Clean(c.in); got != c.want {
			t.Errorf("Clean(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestErrorfKeepsTheChain(t *testing.T) {
	sentinel := errors.New("repo: not found")
	err := Errorf("repo: get %s: %w", "note", sentinel)
	if !errors.Is(err, sentinel) {
		t.Errorf("errors.Is lost the sentinel")
	}
	if got, want := err.Error(), "repo: get note: not found"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}
