package diff

import (
	"context"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/cmd/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/connect"
)

// database is a fresh empty database of one dialect for a test: a SQLite
// file, or a PostgreSQL schema of its own (the DSN's search_path) dropped
// when the test ends.
type database struct {
	dialect, dsn string
}

// newDatabase returns a fresh database of d. PostgreSQL is the server
// GENREPO_POSTGRES_DSN names; without it the test is skipped, or fails
// when GENREPO_REQUIRE_POSTGRES=1.
func newDatabase(t *testing.T, d string) *database {
	t.Helper()
	dsn, _ := testdb.Fresh(t, d, "diff")
	return &database{dialect: d, dsn: dsn}
}

// open opens the database through genrepo's dialects, closed when the
// test ends.
func (d *database) open(t *testing.T) dialect.DB {
	t.Helper()
	db, err := connect.Open(context.Background(), d.dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// execAll runs statements on db, failing the test on an error.
func execAll(t *testing.T, db dialect.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// rows returns the rows of a query as text, one string per row with the
// columns separated by '|', NULL as "NULL".
func rows(t *testing.T, db dialect.DB, query string) []string {
	t.Helper()
	rs, err := db.Query(context.Background(), query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer func() { _ = rs.Close() }()
	var out []string
	for rs.Next() {
		var a, b, c *string
		if err := rs.Scan(&a, &b, &c); err != nil {
			t.Fatal(err)
		}
		var cols []string
		for _, v := range []*string{a, b, c} {
			if v == nil {
				cols = append(cols, "NULL")
			} else {
				cols = append(cols, *v)
			}
		}
		out = append(out, strings.Join(cols, "|"))
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
