package integration

import (
	"context"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
)

// files returns a set of two migrations, with changes applied.
func files(changes map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, sql := range map[string]string{
		"m/0001_a.up.sql":   "CREATE TABLE a (id INTEGER PRIMARY KEY);",
		"m/0001_a.down.sql": "DROP TABLE a;",
		"m/0002_b.up.sql":   "CREATE TABLE b (id INTEGER PRIMARY KEY);",
	} {
		fsys[name] = &fstest.MapFile{Data: []byte(sql)}
	}
	for name, sql := range changes {
		if sql == "" {
			delete(fsys, name)
		} else {
			fsys[name] = &fstest.MapFile{Data: []byte(sql)}
		}
	}
	return fsys
}

// The key of a set of migrations changes with any byte of an up file, a
// migration's name or version, and a migration added; it does not with
// a down file, which the template does not depend on.
func TestMigrationsKey(t *testing.T) {
	key := func(fsys fstest.MapFS) string {
		t.Helper()
		tmpl, err := migrations(fsys, "m")
		if err != nil {
			t.Fatal(err)
		}
		return tmpl.Key
	}
	base := key(files(nil))
	if again := key(files(nil)); again != base {
		t.Errorf("the same files give two keys:\n%s\n%s", base, again)
	}
	for _, c := range []struct {
		name    string
		changes map[string]string
		same    bool
	}{
		{"a byte of an up file", map[string]string{"m/0002_b.up.sql": "CREATE TABLE b (id INTEGER PRIMARY KEY) ;"}, false},
		{"a name", map[string]string{"m/0002_b.up.sql": "", "m/0002_c.up.sql": "CREATE TABLE b (id INTEGER PRIMARY KEY);"}, false},
		{"a version", map[string]string{"m/0002_b.up.sql": "", "m/0003_b.up.sql": "CREATE TABLE b (id INTEGER PRIMARY KEY);"}, false},
		{"a migration added", map[string]string{"m/0003_c.up.sql": "CREATE TABLE c (id INTEGER PRIMARY KEY);"}, false},
		{"a down file", map[string]string{"m/0001_a.down.sql": "DROP TABLE IF EXISTS a;"}, true},
		{"a file that is no migration", map[string]string{"m/README.md": "notes"}, true},
	} {
		if got := key(files(c.changes)); (got == base) != c.same {
			t.Errorf("%s: key changed = %v, want %v", c.name, got != base, !c.same)
		}
	}
}

// Migrations that cannot be loaded, or that fail, are reported naming the
// file, and no template is left.
func TestMigrationsErrors(t *testing.T) {
	for _, c := range []struct {
		name    string
		changes map[string]string
		want    string
	}{
		{"bad name", map[string]string{"m/2_b.up.sq": "", "m/two_b.up.sql": "SELECT 1;"}, "two_b.up.sql"},
		{"empty up file", map[string]string{"m/0002_b.up.sql": "-- nothing"}, "0002_b.up.sql"},
	} {
		if _, err := migrations(files(c.changes), "m"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to name %s", c.name, err, c.want)
		}
	}
	if _, err := migrations(fstest.MapFS{"m/README.md": {Data: []byte("x")}}, "m"); err == nil {
		t.Error("a directory without migrations: no error")
	}
	if _, err := migrations(nil, "m"); err == nil {
		t.Error("a nil fs.FS: no error")
	}

	failing, err := migrations(files(map[string]string{"m/0002_b.up.sql": "CREATE TABLE b (id INTEGER PRIMARY KEY, x NOSUCHTHING REFERENCES nowhere (id) (;"}), "m")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range Dialects() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if name == "postgres" {
				needServer(t)
			}
			ctx := context.Background()
			c, err := env.NewClone(ctx, name, failing)
			if err == nil {
				_ = c.Drop(ctx)
				t.Fatal("a failing migration: no error")
			}
			if !strings.Contains(err.Error(), "0002_b.up.sql") {
				t.Errorf("err = %v, want it to name 0002_b.up.sql", err)
			}
			if err := env.DropTemplate(ctx, name, failing); err != nil {
				t.Error(err)
			}
		})
	}
}

// A model's template is keyed by the DDL of its dialect; a nil model and
// an unknown dialect are refused.
func TestCreatedKey(t *testing.T) {
	type note struct {
		ID   int64
		Body string
	}
	type noteTable struct {
		*mapped.Table[note]
		ID   mapped.Column[note, int64]
		Body mapped.Column[note, string]
	}
	notes := mapped.Define("note", func(t *mapped.Table[note], n *note) noteTable {
		return noteTable{ID: mapped.PrimaryKey(t, &n.ID), Body: mapped.Col(t, &n.Body)}
	})
	m := model.MustNew(model.Tables(notes))
	lite, err := created("sqlite", m)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := created("postgres", m)
	if err != nil {
		t.Fatal(err)
	}
	if lite.Key == pg.Key || !strings.Contains(lite.Key, "CREATE TABLE") {
		t.Errorf("keys:\n%s\n%s\nwant each dialect's DDL", lite.Key, pg.Key)
	}
	if _, err := created("sqlite", nil); err == nil {
		t.Error("a nil model: no error")
	}
	if _, err := created("oracle", m); err == nil || !strings.Contains(err.Error(), "oracle") {
		t.Errorf("an unknown dialect: err = %v", err)
	}
}

// needServer skips or fails the test, as Open does, when there is no
// PostgreSQL server.
func needServer(t testing.TB) {
	t.Helper()
	if _, err := env.DSN(); err != nil {
		if os.Getenv(EnvRequire) == "1" {
			t.Fatalf("PostgreSQL required (%s=1) but unavailable: %v", EnvRequire, err)
		}
		t.Skipf("skipping PostgreSQL: %v", err)
	}
}
