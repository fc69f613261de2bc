package mapped_test

import (
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/postgres"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/internal/golden"
)

// The golden files of this package hold DDL, in the same layout as the
// statement goldens of package query: testdata/golden/<case>.<dialect>.sql.

var dialects = []dialect.Dialect{postgres.Dialect(), sqlite.Dialect()}

// ddlFile formats statements as their golden file holds them: each ended
// by a semicolon, a blank line between them.
func ddlFile(stmts []string) string {
	return strings.Join(stmts, ";\n\n") + ";\n"
}

// TestMain checks, after the tests, that every golden file is still used.
func TestMain(m *testing.M) { golden.Main(m) }
