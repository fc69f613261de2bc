package mapped_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/postgres"
	"github.com/genrepo/genrepo/dialect/sqlite"
)

// The golden files of this package hold DDL, in the same layout as the
// statement goldens of package query: testdata/golden/<case>.<dialect>.sql.

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const goldenDir = "testdata/golden"

var dialects = []dialect.Dialect{postgres.Dialect(), sqlite.Dialect()}

// checked records the golden files compared in this run.
var checked sync.Map

// ddlFile formats statements as their golden file holds them: each ended
// by a semicolon, a blank line between them.
func ddlFile(stmts []string) string {
	return strings.Join(stmts, ";\n\n") + ";\n"
}

// checkGolden compares got with testdata/golden/<name>.<dialect>.sql, or
// writes the file when -update is given.
func checkGolden(t testing.TB, name, dialectName, got string) {
	t.Helper()
	path := filepath.Join(goldenDir, name+"."+dialectName+".sql")
	checked.Store(filepath.Base(path), true)
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
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

// TestMain runs the tests, then, when every test ran and passed, looks
// for golden files that no case checked: with -update it removes them,
// otherwise it fails naming them.
func TestMain(m *testing.M) {
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
	entries, err := os.ReadDir(goldenDir)
	if err != nil {
		return err
	}
	var stale []string
	for _, e := range entries {
		if _, ok := checked.Load(e.Name()); ok {
			continue
		}
		path := filepath.Join(goldenDir, e.Name())
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
