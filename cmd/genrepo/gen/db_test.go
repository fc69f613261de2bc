package gen

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/cmd/genrepo/internal/testdb"
)

// database is a fresh empty database of one dialect for a test: a SQLite
// file, or a PostgreSQL schema of its own (the DSN's search_path) dropped
// when the test ends.
type database struct {
	dialect, dsn, schema string
	db                   *sql.DB
}

// newDatabase returns a fresh database of dialect. PostgreSQL is the
// server GENREPO_POSTGRES_DSN names; without it the test is skipped, or
// fails when GENREPO_REQUIRE_POSTGRES=1.
func newDatabase(t *testing.T, dialect string) *database {
	t.Helper()
	dsn, schema := testdb.Fresh(t, dialect, "gen")
	driver, source := "pgx", dsn
	if dialect == SQLite {
		driver, source = "sqlite", "file:"+strings.TrimPrefix(dsn, "sqlite:")+"?_pragma=foreign_keys(1)"
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return &database{dialect: dialect, dsn: dsn, schema: schema, db: db}
}

// exec runs the statements of an SQL file (separated by semicolons at
// line ends).
func (d *database) exec(t *testing.T, file string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range strings.Split(string(b), ";\n") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := d.db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v\n%s", file, err, stmt)
		}
	}
}

// chinookData is every row of Chinook, as examples/chinook ships it.
type chinookData map[string]struct {
	Columns []string          `json:"columns"`
	Rows    []json.RawMessage `json:"rows"`
}

func readChinook(t *testing.T) chinookData {
	t.Helper()
	b, err := os.ReadFile("../../../examples/chinook/data/chinook.json")
	if err != nil {
		t.Fatal(err)
	}
	var data chinookData
	if err := json.Unmarshal(b, &data); err != nil {
		t.Fatal(err)
	}
	return data
}

// chinookOrder lists the tables referenced ones first.
var chinookOrder = []string{"genre", "media_type", "artist", "album", "track", "employee", "customer",
	"invoice", "invoice_line", "playlist", "playlist_track"}

// load inserts every row of data by plain SQL, a few hundred rows per
// statement, in one transaction.
func (d *database) load(t *testing.T, data chinookData) {
	t.Helper()
	ctx := context.Background()
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, name := range chinookOrder {
		tab := data[name]
		for start := 0; start < len(tab.Rows); start += 300 {
			rows := tab.Rows[start:min(start+300, len(tab.Rows))]
			var b strings.Builder
			fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", name, strings.Join(tab.Columns, ", "))
			var args []any
			for i, raw := range rows {
				var vals []any
				dec := json.NewDecoder(strings.NewReader(string(raw)))
				dec.UseNumber()
				if err := dec.Decode(&vals); err != nil {
					t.Fatal(err)
				}
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString("(")
				for j, v := range vals {
					if j > 0 {
						b.WriteString(", ")
					}
					if n, ok := v.(json.Number); ok {
						v = n.String() // decimal text; both databases convert it
						if i, err := n.Int64(); err == nil {
							v = i
						}
					}
					args = append(args, v)
					if d.dialect == Postgres {
						fmt.Fprintf(&b, "$%d", len(args))
					} else {
						b.WriteString("?")
					}
				}
				b.WriteString(")")
			}
			if _, err := tx.Exec(b.String(), args...); err != nil {
				t.Fatalf("load %s: %v", name, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}
