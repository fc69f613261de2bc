// Package errs builds genrepo's error messages so that each names its
// operation once: "repo: get note: not found: no row with id=7", never
// "repo: get note: repo: not found: mapped: …". Errors keep their whole
// chain for errors.Is and errors.As; only the text is tidied.
package errs

import (
	"fmt"
	"strings"
)

// packages are the prefixes genrepo's packages start their messages with.
var packages = [...]string{"dialect", "query", "mapped", "relation", "model", "repo", "uow", "sqlite", "postgres"}

// Errorf is fmt.Errorf, %w included, with the message passed through
// Clean.
func Errorf(format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &cleaned{msg: Clean(err.Error()), err: err}
}

// cleaned is an error whose message was tidied by Clean; Unwrap returns
// the error as built, so errors.Is and errors.As see every wrapped error.
type cleaned struct {
	msg string
	err error
}

func (e *cleaned) Error() string { return e.msg }
func (e *cleaned) Unwrap() error { return e.err }

// Clean drops, from the second segment of msg on, every segment that is
// only the name of one of genrepo's packages ("repo: ", "mapped: ", …), so
// that the message names the package of its operation once, at its start.
// Segments are the parts of msg separated by ": ".
func Clean(msg string) string {
	first, rest, ok := strings.Cut(msg, ": ")
	if !ok {
		return msg
	}
	var b strings.Builder
	b.Grow(len(msg))
	b.WriteString(first)
	for ok {
		var seg string
		seg, rest, ok = strings.Cut(rest, ": ")
		if ok && isPackage(seg) {
			continue
		}
		b.WriteString(": ")
		b.WriteString(seg)
	}
	return b.String()
}

func isPackage(s string) bool {
	for _, p := range packages {
		if s == p {
			return true
		}
	}
	return false
}
