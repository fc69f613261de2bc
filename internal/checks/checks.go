// Package checks holds assertions the tests of several packages share.
package checks

import (
	"strings"
	"testing"
)

// Refuses runs fn and fails t unless it returns an error whose message
// contains want; a panic fails t too, as a call site must never panic.
func Refuses(t testing.TB, name, want string, fn func() error) {
	t.Helper()
	var err error
	panicked := func() (p any) {
		defer func() { p = recover() }()
		err = fn()
		return nil
	}()
	switch {
	case panicked != nil:
		t.Errorf("%s panicked: %v", name, panicked)
	case err == nil:
		t.Errorf("%s: no error", name)
	case !strings.Contains(err.Error(), want):
		t.Errorf("%s: error %q, want it to say %q", name, err, want)
	}
}
