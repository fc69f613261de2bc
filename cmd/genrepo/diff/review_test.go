package diff

// Tests from an adversarial review of migrate diff: each one failed before
// the fix it names.

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/migrate"
)

// bothDialects runs body on a fresh database of each dialect, in parallel.
func bothDialects(t *testing.T, body func(t *testing.T, db *database, conn dialect.DB)) {
	for _, d := range []string{SQLite, Postgres} {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db := newDatabase(t, d)
			body(t, db, db.open(t))
		})
	}
}

// roundTrip checks that up brings the database to desired (the same diff
// then finds nothing) and down brings it back (the diff is the first one
// again), applying each through the migration runner as a file would be.
func roundTrip(t *testing.T, db *database, conn dialect.DB, desired []string) *Changes {
	t.Helper()
	ctx := context.Background()
	c, err := Plan(ctx, db.dsn, desired, "")
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	if len(c.Up) == 0 {
		t.Fatalf("Plan found nothing to do")
	}
	dir := t.TempDir()
	if _, _, err := Write(dir, "review", "the test", c); err != nil {
		t.Fatal(err)
	}
	r, err := migrate.New(conn, os.DirFS(dir), ".", migrate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Up(ctx, 0); err != nil {
		t.Fatalf("up: %v\n%s", err, strings.Join(c.Up, ";\n"))
	}
	after, err := Plan(ctx, db.dsn, desired, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Up) != 0 {
		t.Errorf("after up, the diff still finds:\n%s\nup was:\n%s", strings.Join(after.Up, ";\n"), strings.Join(c.Up, ";\n"))
	}
	if _, err := r.Down(ctx, 1); err != nil {
		t.Fatalf("down: %v\n%s", err, strings.Join(c.Down, ";\n"))
	}
	again, err := Plan(ctx, db.dsn, desired, "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again.Up, c.Up) {
		t.Errorf("after down, up is\n%s\nwant\n%s", strings.Join(again.Up, ";\n"), strings.Join(c.Up, ";\n"))
	}
	return c
}

// Names that need quoting (a reserved word, upper case, a space) go through a diff, up and down on both dialects: a column added,
// one made nullable (a rebuild on SQLite), an index and a new table
// referencing the old one.
func TestReviewQuotedNames(t *testing.T) {
	bothDialects(t, func(t *testing.T, db *database, conn dialect.DB) {
		execAll(t, conn,
			`CREATE TABLE "Order" ("select" INTEGER PRIMARY KEY, "Two Words" TEXT NOT NULL, "Upper" TEXT NOT NULL)`,
			`INSERT INTO "Order" VALUES (1, 'a', 'b')`)
		roundTrip(t, db, conn, []string{
			`CREATE TABLE "Order" ("select" INTEGER PRIMARY KEY, "Two Words" TEXT, "Upper" TEXT NOT NULL, "New Col" TEXT)`,
			`CREATE INDEX "ix Order" ON "Order" ("Upper")`,
			`CREATE TABLE "line item" ("id" INTEGER PRIMARY KEY, "order" INTEGER NOT NULL REFERENCES "Order" ("select"))`,
		})
		if got := rows(t, conn, `SELECT "Two Words", "Upper", NULL FROM "Order"`); !slices.Equal(got, []string{"a|b|NULL"}) {
			t.Errorf("rows after up and down: %q", got)
		}
	})
}

// On SQLite, the refusal of a rebuild under ON DELETE CASCADE holds for a
// table whose name has a space in it: the rebuild's last statement was
// recognised by scanning it into words, which such a name defeated, so
// the rebuild went unnoticed and dropping the old table deleted the
// referencing rows inside the migration. A name with a backquote, which
// Atlas's planner writes unescaped (broken SQL), is refused.
func TestReviewRebuildOddNameUnderCascade(t *testing.T) {
	for name, want := range map[string]string{
		"my parent": "up rebuilds table my parent",
		"odd`name":  `diff: table "odd` + "`" + `name": a name holding ` + "`" + ` is not supported`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			db := newDatabase(t, SQLite)
			conn := db.open(t)
			q := dialect.Quote(name)
			child := "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES " + q + " (id) ON DELETE CASCADE)"
			execAll(t, conn, "CREATE TABLE "+q+" (id INTEGER PRIMARY KEY, label TEXT NOT NULL)", child,
				"INSERT INTO "+q+" VALUES (1, 'p')", "INSERT INTO child VALUES (1, 1)")
			// label made nullable: the table is rebuilt.
			c, err := Plan(context.Background(), db.dsn, []string{"CREATE TABLE " + q + " (id INTEGER PRIMARY KEY, label TEXT)", child}, "")
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("Plan of a rebuild under a cascade: %v, want an error with %q; up:\n%s", err, want, strings.Join(c.Up, ";\n"))
			}
		})
	}
}

// On PostgreSQL a name holding a double quote is refused: Atlas's planner
// wrote it unescaped, CREATE INDEX "ix" ON "t" ("say "hi""). The test is
// PostgreSQL's: on SQLite the quote is the backquote (above).
func TestReviewQuoteInName(t *testing.T) {
	t.Parallel()
	db := newDatabase(t, Postgres)
	conn := db.open(t)
	execAll(t, conn, `CREATE TABLE note (id INTEGER PRIMARY KEY, "say ""hi""" TEXT)`)
	_, err := Plan(context.Background(), db.dsn, []string{
		`CREATE TABLE note (id INTEGER PRIMARY KEY, "say ""hi""" TEXT NOT NULL)`,
		`CREATE INDEX ix ON note ("say ""hi""")`,
	}, "")
	if want := `diff: column note. "say \"hi\"": a name holding " is not supported`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Plan with a double quote in a name: %v; want an error with %q", err, want)
	}
}

// A model that maps the version table (gen maps every table, the version
// table too) is compared without it, as the database is: the up file
// created the table the runner had already created, and failed.
func TestReviewVersionTableInModel(t *testing.T) {
	bothDialects(t, func(t *testing.T, db *database, conn dialect.DB) {
		r, err := migrate.New(conn, os.DirFS(t.TempDir()), ".", migrate.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Up(context.Background(), 0); err != nil { // creates the version table
			t.Fatal(err)
		}
		c, err := Plan(context.Background(), db.dsn, []string{
			"CREATE TABLE genrepo_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL)",
			"CREATE TABLE note (id INTEGER PRIMARY KEY)",
		}, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range append(c.Up, c.Down...) {
			if strings.Contains(s, "genrepo_migrations") {
				t.Errorf("a statement touches the version table: %s", s)
			}
		}
	})
}

// A change of a column's type is warned about, as a drop is: the values
// are converted (PostgreSQL rounds 2.5 into a bigint silently) or refused.
func TestReviewTypeChangeWarned(t *testing.T) {
	bothDialects(t, func(t *testing.T, db *database, conn dialect.DB) {
		execAll(t, conn, "CREATE TABLE item (id INTEGER PRIMARY KEY, qty REAL NOT NULL)")
		c, err := Plan(context.Background(), db.dsn, []string{"CREATE TABLE item (id INTEGER PRIMARY KEY, qty BIGINT NOT NULL)"}, "")
		if err != nil {
			t.Fatal(err)
		}
		if all := strings.Join(c.Warnings, "\n"); !strings.Contains(all, "column item.qty changes type") {
			t.Errorf("warnings %q; want one on item.qty's type", c.Warnings)
		}
	})
}

// On PostgreSQL a model whose tables name a schema (mapped.InSchema) is
// refused, and diff writes nothing into the database: its scratch run of
// the model's DDL created the schema and the tables in the database
// itself, outside the scratch schema, and left them there. The test is
// PostgreSQL's alone: SQLite has no schemas (the model's DDL fails there).
func TestReviewModelInSchema(t *testing.T) {
	t.Parallel()
	db := newDatabase(t, Postgres)
	conn := db.open(t)
	name := "review_" + strings.ToLower(rand.Text()[:10])
	t.Cleanup(func() { execAll(t, conn, "DROP SCHEMA IF EXISTS "+name+" CASCADE") })
	_, err := Plan(context.Background(), db.dsn, []string{
		"CREATE SCHEMA IF NOT EXISTS " + dialect.Quote(name),
		"CREATE TABLE IF NOT EXISTS " + dialect.Quote(name) + ".note (id INTEGER PRIMARY KEY)",
	}, "")
	if err == nil || !strings.Contains(err.Error(), name) {
		t.Errorf("Plan of a model in schema %s: %v; want it refused, naming the schema", name, err)
	}
	if got := rows(t, conn, "SELECT count(*)::text, NULL, NULL FROM pg_namespace WHERE nspname = '"+name+"'"); !slices.Equal(got, []string{"0|NULL|NULL"}) {
		t.Errorf("diff created schema %s in the database", name)
	}
}

// Run refuses to diff a database that has not applied every migration of
// the directory, as Alembic's autogenerate does: the database then lacks
// what the pending migrations create, and the new migration repeated
// them. It says which, before building the model.
func TestReviewRunRefusesPending(t *testing.T) {
	bothDialects(t, func(t *testing.T, db *database, conn dialect.DB) {
		ctx := context.Background()
		dir := filepath.Join(t.TempDir(), "migrations")
		c := &Changes{Up: []string{"CREATE TABLE note (id INTEGER PRIMARY KEY)"}, Down: []string{"DROP TABLE note"}}
		if _, _, err := Write(dir, "init", "the test", c); err != nil {
			t.Fatal(err)
		}
		opts := Options{DSN: db.dsn, Model: "example.com/never/built", Dir: dir, Name: "again"}
		_, err := Run(ctx, opts)
		if err == nil || !strings.Contains(err.Error(), "0001_init") || !strings.Contains(err.Error(), "pending") {
			t.Errorf("Run with 0001 pending: %v; want it refused, naming 0001_init", err)
		}
		r, err := migrate.New(conn, os.DirFS(dir), ".", migrate.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Up(ctx, 0); err != nil {
			t.Fatal(err)
		}
		// Up to date: Run goes on to build the model (which does not exist).
		_, err = Run(ctx, opts)
		if err == nil || !strings.Contains(err.Error(), "example.com/never/built") {
			t.Errorf("Run with every migration applied: %v; want it to go on to the model", err)
		}
		if err := os.WriteFile(filepath.Join(dir, "0001_init.up.sql"), []byte("CREATE TABLE note (id BIGINT PRIMARY KEY);\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err = Run(ctx, opts)
		if err == nil || !strings.Contains(err.Error(), "0001_init") || !strings.Contains(err.Error(), "changed") {
			t.Errorf("Run with 0001 changed: %v; want it refused", err)
		}
		entries, err := os.ReadDir(dir)
		if err != nil || len(entries) != 2 {
			t.Errorf("the directory holds %d files (%v); want 0001's two", len(entries), err)
		}
	})
}

// On SQLite, a change that rebuilds a table with triggers is refused, in
// either direction: dropping the old copy dropped the triggers, which the
// inspection does not see, and the migration left the table without them,
// unwarned. SQLite's alone: PostgreSQL alters the table in place.
func TestReviewRebuildDropsTriggers(t *testing.T) {
	t.Parallel()
	db := newDatabase(t, SQLite)
	conn := db.open(t)
	execAll(t, conn, "CREATE TABLE item (id INTEGER PRIMARY KEY, a TEXT NOT NULL)", "CREATE TABLE log (n INTEGER)",
		"CREATE TRIGGER item_log AFTER INSERT ON item BEGIN INSERT INTO log VALUES (new.id); END")
	log := "CREATE TABLE log (n INTEGER)"
	// a made nullable: the up rebuilds item.
	_, err := Plan(context.Background(), db.dsn, []string{"CREATE TABLE item (id INTEGER PRIMARY KEY, a TEXT)", log}, "")
	if err == nil || !strings.Contains(err.Error(), "up rebuilds table item, and dropping its old copy drops its triggers item_log") {
		t.Errorf("Plan of a rebuild of a table with a trigger: %v; want it refused", err)
	}
	// A column added: in place; the down drops it, rebuilding.
	_, err = Plan(context.Background(), db.dsn, []string{"CREATE TABLE item (id INTEGER PRIMARY KEY, a TEXT NOT NULL, b TEXT)", log}, "")
	if err == nil || !strings.Contains(err.Error(), "down rebuilds table item") {
		t.Errorf("Plan whose down rebuilds a table with a trigger: %v; want it refused", err)
	}
	// A change elsewhere goes through.
	if _, err := Plan(context.Background(), db.dsn, []string{"CREATE TABLE item (id INTEGER PRIMARY KEY, a TEXT NOT NULL)", log,
		"CREATE TABLE other (id INTEGER PRIMARY KEY)"}, ""); err != nil {
		t.Errorf("Plan of a new table: %v", err)
	}
}
