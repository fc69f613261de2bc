// Package golden compares text a test renders (SQL, DDL) with the golden
// files of the test's package, testdata/golden/<case>.<dialect>.sql, and
// rewrites them when the test runs with -update. A Recorder collects the
// statements a database ran, through its hook, for the same comparison.
// It is for tests only.
package golden

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Dir is where a package's golden files live, relative to the package.
const Dir = "testdata/golden"

var update = flag.Bool("update", false, "rewrite the golden files in "+Dir)

// checked records the golden files compared in this run.
var checked sync.Map

// Check compares got with Dir/<name>.<dialect>.sql, or writes the file
// when -update is given.
func Check(t testing.TB, name, dialect, got string) {
	t.Helper()
	CheckFile(t, name+"."+dialect+".sql", got)
}

// CheckFile compares got with Dir/<file>, or writes the file when -update
// is given: for text that is not SQL, or the same on every dialect.
func CheckFile(t testing.TB, file, got string) {
	t.Helper()
	path := filepath.Join(Dir, file)
	checked.Store(filepath.Base(path), true)
	if *update {
		if err := os.MkdirAll(Dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n got:\n%s\nwant:\n%s", path, got, want)
	}
}

// Main is a test package's TestMain: it runs the tests, then, when every
// test ran and passed, looks for golden files that no case checked; with
// -update it removes them, otherwise it fails naming them.
func Main(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" &&
		flag.Lookup("test.skip").Value.String() == "" {
		if err := orphans(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

func orphans() error {
	entries, err := os.ReadDir(Dir)
	if err != nil {
		return err
	}
	var stale []string
	for _, e := range entries {
		if _, ok := checked.Load(e.Name()); ok {
			continue
		}
		path := filepath.Join(Dir, e.Name())
		if *update {
			if err := os.Remove(path); err != nil {
				return err
			}
			continue
		}
		stale = append(stale, path)
	}
	if len(stale) > 0 {
		return fmt.Errorf("FAIL: golden files that no test case checks (go test -update removes them):\n\t%s",
			strings.Join(stale, "\n\t"))
	}
	return nil
}
