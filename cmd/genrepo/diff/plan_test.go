package diff

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestPlanWarnings diffs DDL given directly: a renamed column and a
// renamed table come out as drops and adds, each warned about; the
// version table is left out.
func TestPlanWarnings(t *testing.T) {
	for _, d := range []string{SQLite, Postgres} {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db := newDatabase(t, d)
			conn := db.open(t)
			execAll(t, conn,
				"CREATE TABLE genrepo_migrations (version INTEGER PRIMARY KEY)",
				"CREATE TABLE parent (id INTEGER PRIMARY KEY, label TEXT NOT NULL)",
				"CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id))",
				"CREATE TABLE old_name (id INTEGER PRIMARY KEY)")
			desired := []string{
				"CREATE TABLE parent (id INTEGER PRIMARY KEY, title TEXT)",
				"CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id))",
				"CREATE TABLE new_name (id INTEGER PRIMARY KEY)",
			}
			c, err := Plan(context.Background(), db.dsn, desired, "")
			if err != nil {
				t.Fatal(err)
			}
			want := []string{
				"table old_name is dropped",
				"column parent.label is dropped",
				"columns label are dropped and title added: a renamed column",
				"tables old_name are dropped and new_name added: a renamed table",
			}
			all := strings.Join(c.Warnings, "\n")
			for _, w := range want {
				if !strings.Contains(all, w) {
					t.Errorf("no warning %q in:\n%s", w, all)
				}
			}
			up := strings.Join(c.Up, ";\n")
			if strings.Contains(up, "genrepo_migrations") || !strings.Contains(up, "new_name") {
				t.Errorf("up:\n%s", up)
			}
			// Down undoes it: back at the start, the same diff finds nothing.
			for _, s := range c.Up {
				execAll(t, conn, s)
			}
			back, err := Plan(context.Background(), db.dsn, desired, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(back.Up) != 0 || len(back.Warnings) != 0 {
				t.Errorf("after up, plan %q, warnings %q", back.Up, back.Warnings)
			}
			for _, s := range c.Down {
				execAll(t, conn, s)
			}
			again, err := Plan(context.Background(), db.dsn, desired, "")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(again.Up, c.Up) {
				t.Errorf("after down, up is\n%q\nwant\n%q", again.Up, c.Up)
			}
		})
	}
}

// On SQLite, a change that rebuilds a table other tables reference with
// ON DELETE CASCADE or SET NULL is refused, in either direction: dropping
// the old copy would delete or clear their rows inside the migration.
// Adding a column alters the table in place and goes through.
func TestPlanRefusesRebuildUnderCascade(t *testing.T) {
	db := newDatabase(t, SQLite)
	conn := db.open(t)
	execAll(t, conn,
		"CREATE TABLE parent (id INTEGER PRIMARY KEY, label TEXT NOT NULL)",
		"CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE SET NULL)",
		"CREATE TABLE pet (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE)",
		"INSERT INTO parent VALUES (1, 'p')", "INSERT INTO child VALUES (1, 1)", "INSERT INTO pet VALUES (1, 1)")
	kept := []string{
		"CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE SET NULL)",
		"CREATE TABLE pet (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE)",
	}
	ctx := context.Background()
	// label made nullable: the table is rebuilt.
	_, err := Plan(ctx, db.dsn, append([]string{"CREATE TABLE parent (id INTEGER PRIMARY KEY, label TEXT)"}, kept...), "")
	for _, want := range []string{"up rebuilds table parent", "child's foreign key", "ON DELETE SET NULL", "pet's foreign key", "ON DELETE CASCADE"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Plan of a rebuild under cascades: %v, want an error naming %q", err, want)
		}
	}
	// A column added: in place, both ways (the down drops it, rebuilding).
	c, err := Plan(ctx, db.dsn, append([]string{"CREATE TABLE parent (id INTEGER PRIMARY KEY, label TEXT NOT NULL, extra TEXT)"}, kept...), "")
	if err == nil || !strings.Contains(err.Error(), "down rebuilds table parent") {
		t.Errorf("Plan of a column added: %v (up %q), want the down's rebuild refused", err, c)
	}
	rows, err := conn.Query(ctx, "SELECT (SELECT count(*) FROM child WHERE parent_id = 1) + (SELECT count(*) FROM pet)")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var n int
	if !rows.Next() || rows.Scan(&n) != nil || n != 2 {
		t.Errorf("rows referencing parent 1: %d; want 2, untouched", n)
	}
}

func TestSplitModel(t *testing.T) {
	for _, tc := range []struct{ in, pkg, name string }{
		{"example.com/app/store", "example.com/app/store", "Model"},
		{"example.com/app/store.Schema", "example.com/app/store", "Schema"},
		{"example.com/app.v2/store", "example.com/app.v2/store", "Model"},
		{"gopkg.in/x.v1/store.M2", "gopkg.in/x.v1/store", "M2"},
	} {
		pkg, name, err := splitModel(tc.in)
		if err != nil || pkg != tc.pkg || name != tc.name {
			t.Errorf("splitModel(%q) = %q, %q, %v; want %q, %q", tc.in, pkg, name, err, tc.pkg, tc.name)
		}
	}
	for _, in := range []string{"", "example.com/app/store.model", "example.com/app/store.", "example.com/app/store.X-Y"} {
		if _, _, err := splitModel(in); err == nil {
			t.Errorf("splitModel(%q): no error", in)
		}
	}
}
