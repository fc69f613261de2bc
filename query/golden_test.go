package query_test

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/postgres"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/internal/golden"
)

// dialects are the dialects every statement is rendered for.
var dialects = []dialect.Dialect{postgres.Dialect(), sqlite.Dialect()}

// goldenFile formats a rendered statement as its golden file holds it: the
// SQL text, a blank line, then the bound arguments one per line.
func goldenFile(sql string, args []any) string {
	var b strings.Builder
	b.WriteString(sql)
	b.WriteString("\n\n-- args: ")
	b.WriteString(strconv.Itoa(len(args)))
	b.WriteByte('\n')
	for i, a := range args {
		fmt.Fprintf(&b, "%d: %s\n", i+1, golden.Arg(a))
	}
	return b.String()
}

// TestMain checks, after the tests, that every golden file is still used.
func TestMain(m *testing.M) { golden.Main(m) }

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
