package diff

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestPlanWarnings diffs DDL given directly: a renamed column and a
// renamed table come out as drops and adds, each warned about, and a
// SQLite rebuild of a table referenced with ON DELETE CASCADE is warned
// about; the version table is left out.
func TestPlanWarnings(t *testing.T) {
	for _, d := range []string{SQLite, Postgres} {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			db := newDatabase(t, d)
			conn := db.open(t)
			execAll(t, conn,
				"CREATE TABLE genrepo_migrations (version INTEGER PRIMARY KEY)",
				"CREATE TABLE parent (id INTEGER PRIMARY KEY, label TEXT NOT NULL)",
				"CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE)",
				"CREATE TABLE old_name (id INTEGER PRIMARY KEY)")
			desired := []string{
				"CREATE TABLE parent (id INTEGER PRIMARY KEY, title TEXT)",
				"CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE)",
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
			if d == SQLite {
				want = append(want, "table parent may be rebuilt")
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
