package query_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/postgres"
	"github.com/genrepo/genrepo/dialect/sqlite"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const goldenDir = "testdata/golden"

// dialects are the dialects every statement is rendered for.
var dialects = []dialect.Dialect{postgres.Dialect(), sqlite.Dialect()}

// written records the golden files checked by this run, so that
// TestGoldenOrphans can find files no case owns any more.
var written sync.Map

// goldenFile formats a rendered statement as its golden file holds it: the
// SQL text, a blank line, then the bound arguments one per line.
func goldenFile(sql string, args []any) string {
	var b strings.Builder
	b.WriteString(sql)
	b.WriteString("\n\n-- args: ")
	b.WriteString(strconv.Itoa(len(args)))
	b.WriteByte('\n')
	for i, a := range args {
		fmt.Fprintf(&b, "%d: %s\n", i+1, formatArg(a))
	}
	return b.String()
}

// formatArg prints a bound argument with its Go type, stably.
func formatArg(v any) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = formatArg(e)
		}
		return "[]any{" + strings.Join(parts, ", ") + "}"
	case time.Time:
		return fmt.Sprintf("%#v", x)
	}
	return fmt.Sprintf("%T(%#v)", v, v)
}

// checkGolden compares got with testdata/golden/<name>.<dialect>.sql, or
// writes the file when -update is given.
func checkGolden(t testing.TB, name, dialectName, got string) {
	t.Helper()
	path := filepath.Join(goldenDir, name+"."+dialectName+".sql")
	written.Store(filepath.Base(path), true)
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
		if _, ok := written.Load(e.Name()); ok {
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

var (
	quotedIdent = regexp.MustCompile(`"(?:[^"]|"")*"`)
	stringLit   = regexp.MustCompile(`'(?:[^']|'')*'`)
	bareWord    = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
)

// bareIdents returns the words of sql, outside quoted identifiers and
// string literals, that are among names: identifiers written unquoted.
// Names are compared case-sensitively, so that the lower-case column
// "order" is found while the keyword ORDER is not.
func bareIdents(sql string, names []string) []string {
	s := quotedIdent.ReplaceAllString(sql, " ")
	s = stringLit.ReplaceAllString(s, " ")
	var out []string
	for _, w := range bareWord.FindAllString(s, -1) {
		if slices.Contains(names, w) && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}
