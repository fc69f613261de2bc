package gen

// Tests from an adversarial review of genrepo gen: each one failed before
// the fix it names.

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect/connect"
)

// A SQLite path is a file name, as connect.Open reads it, not a URI: a
// '#' or '?' in it is part of the name. Open wrote it into a URI
// unescaped, so "x.db#2" opened x.db, another database, and read-write:
// the "?mode=ro" after the '#' was lost, and a missing "new?.db" created
// the file "new". SQLite's alone: the URL of a PostgreSQL database is
// pgx's to read.
func TestReviewOpenSQLitePath(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	for name, table := range map[string]string{"x.db": "wrong", "x.db#2": "right", "a?b%41.db": "right"} {
		db, err := connect.Open(ctx, "sqlite:"+filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, "CREATE TABLE "+table+" (id INTEGER PRIMARY KEY)"); err != nil {
			t.Fatal(err)
		}
		_ = db.Close()
	}
	for _, name := range []string{"x.db#2", "a?b%41.db"} {
		files, err := Generate(ctx, Options{DSN: "sqlite:" + filepath.Join(dir, name), Package: "x"})
		if err != nil {
			t.Errorf("gen of %s: %v", name, err)
			continue
		}
		if src := string(files[File]); !strings.Contains(src, `mapped.Define("right"`) {
			t.Errorf("gen of %s mapped another database:\n%s", name, src)
		}
	}
	before, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(ctx, Options{DSN: "sqlite:" + filepath.Join(dir, "new?.db"), Package: "x"}); err == nil {
		t.Errorf("gen of a missing file: no error")
	}
	after, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("gen of a missing file created files: %d before, %d after", len(before), len(after))
	}
}

// On PostgreSQL, a foreign key to a table of another schema is not mapped
// to the table of the same name in the schema generated: gen looked the
// referenced table up by its name alone, and wrote a relation to the
// wrong table. The test is PostgreSQL's alone: SQLite has no schemas.
func TestReviewForeignKeyOtherSchema(t *testing.T) {
	t.Parallel()
	d := newDatabase(t, Postgres)
	other := d.schema + "_other"
	t.Cleanup(func() { _, _ = d.db.Exec("DROP SCHEMA " + other + " CASCADE") })
	for _, s := range []string{
		"CREATE SCHEMA " + other,
		"CREATE TABLE " + other + ".users (id INTEGER PRIMARY KEY)",
		"CREATE TABLE users (id INTEGER PRIMARY KEY)",
		"CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES " + other + ".users (id))",
	} {
		if _, err := d.db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	src, warn := generate(t, d, "x")
	if strings.Contains(string(src), "ForeignKey(") || strings.Contains(string(src), "relation.") {
		t.Errorf("the foreign key to %s.users was mapped to users:\n%s", other, src)
	}
	if !strings.Contains(warn, other+".users") {
		t.Errorf("warnings do not name %s.users:\n%s", other, warn)
	}
}

// What gen cannot declare of a table is noted, never dropped silently: a
// CHECK constraint and a foreign key's ON UPDATE action went unmentioned,
// and CreateAll of the generated model made a table without them.
func TestReviewUnmappedConstraintsNoted(t *testing.T) {
	for _, dialect := range []string{SQLite, Postgres} {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			d := newDatabase(t, dialect)
			for _, s := range []string{
				"CREATE TABLE parent (id INTEGER PRIMARY KEY, code VARCHAR(10) NOT NULL UNIQUE)",
				"CREATE TABLE child (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL CONSTRAINT qty_positive CHECK (qty\n\t> 0), " +
					"parent_code VARCHAR(10) REFERENCES parent (code) ON UPDATE CASCADE)",
			} {
				if _, err := d.db.Exec(s); err != nil {
					t.Fatal(err)
				}
			}
			src, warn := generate(t, d, "x")
			for _, want := range []string{"qty > 0", "ON UPDATE CASCADE"} {
				if !strings.Contains(warn, want) || !strings.Contains(string(src), want) {
					t.Errorf("%q is neither warned about nor noted:\n%s\n%s", want, warn, src)
				}
			}
		})
	}
}

// A composite primary key whose columns come in another order than the
// table's columns is noted: genrepo declares a key in the order of its
// columns, so the generated model's key (and the index behind it) led
// with another column, silently.
func TestReviewKeyOrderNoted(t *testing.T) {
	for _, dialect := range []string{SQLite, Postgres} {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			d := newDatabase(t, dialect)
			if _, err := d.db.Exec("CREATE TABLE stock (shop INTEGER NOT NULL, item INTEGER NOT NULL, qty INTEGER NOT NULL, PRIMARY KEY (item, shop))"); err != nil {
				t.Fatal(err)
			}
			src, warn := generate(t, d, "x")
			want := "primary key (item, shop) is declared in the order of its columns (shop, item)"
			if !strings.Contains(warn, want) || !strings.Contains(string(src), want) {
				t.Errorf("the key's order is neither warned about nor noted:\n%s\n%s", warn, src)
			}
		})
	}
}

// Names genrepo refuses at start-up are not mapped, but noted: the
// generated code compiled, then panicked when its package was loaded
// (mapped.Define refuses a dotted table name and a double quote in a
// name), or its CreateAll failed (an index name, ix_TABLE_COLUMN, longer
// than 63 bytes).
func TestReviewNamesGenrepoRefuses(t *testing.T) {
	long := "a_table_with_a_name_long_enough_to_overflow_an_index_name"
	for _, dialect := range []string{SQLite, Postgres} {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			d := newDatabase(t, dialect)
			for _, s := range []string{
				`CREATE TABLE "a.b" (id INTEGER PRIMARY KEY)`,
				`CREATE TABLE q (id INTEGER PRIMARY KEY, "say ""hi""" TEXT)`,
				`CREATE TABLE ` + long + ` (id INTEGER PRIMARY KEY, code TEXT NOT NULL)`,
				`CREATE INDEX ` + long[:20] + ` ON ` + long + ` (code)`,
			} {
				if _, err := d.db.Exec(s); err != nil {
					t.Fatal(err)
				}
			}
			src, warn := generate(t, d, "x")
			for _, bad := range []string{`Define("a.b"`, `Name("say`, "mapped.Index()"} {
				if strings.Contains(string(src), bad) {
					t.Errorf("the code has %s, which genrepo refuses:\n%s", bad, src)
				}
			}
			for _, want := range []string{"table a.b is not mapped", `column say "hi" is not mapped`, "index " + long[:20] + " is not mapped"} {
				if !strings.Contains(warn, want) {
					t.Errorf("no warning %q in:\n%s", want, warn)
				}
			}
			if !strings.Contains(string(src), `mapped.Define("q"`) || !strings.Contains(string(src), `mapped.Define("`+long+`"`) {
				t.Errorf("q and %s are not mapped:\n%s", long, src)
			}
		})
	}
}
