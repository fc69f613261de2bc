// Package testdb gives the command's tests a fresh, empty database each,
// on SQLite or on the PostgreSQL server GENREPO_POSTGRES_DSN names. It is
// for tests only.
package testdb

import (
	"crypto/rand"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql's "pgx" driver
)

// Fresh returns the URL of a fresh empty database of dialect ("sqlite"
// or "postgres") for t: an empty SQLite file in t's temporary directory,
// or a PostgreSQL schema of its own, named prefix_ and random letters,
// which the URL's search_path selects and which is dropped when the test
// ends; schema is its name ("" on SQLite). Without GENREPO_POSTGRES_DSN a
// PostgreSQL test is skipped, or fails when GENREPO_REQUIRE_POSTGRES=1.
func Fresh(t testing.TB, dialect, prefix string) (dsn, schema string) {
	t.Helper()
	if dialect == "sqlite" {
		path := filepath.Join(t.TempDir(), "test.db")
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		return "sqlite:" + path, ""
	}
	base := os.Getenv("GENREPO_POSTGRES_DSN")
	if base == "" {
		if os.Getenv("GENREPO_REQUIRE_POSTGRES") == "1" {
			t.Fatal("GENREPO_POSTGRES_DSN is not set and GENREPO_REQUIRE_POSTGRES=1")
		}
		t.Skip("PostgreSQL skipped: GENREPO_POSTGRES_DSN is not set")
	}
	schema = prefix + "_" + strings.ToLower(rand.Text()[:12])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		_ = admin.Close()
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema, schema
}
