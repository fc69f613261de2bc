package integration_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/postgres"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/integration"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/migrate"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/repo"
)

// testdata is the migrations of the tests: artist, album and track, with
// seed rows.
var testdata = os.DirFS("testdata")

// tableExists reports whether db has the table.
func tableExists(t *testing.T, db dialect.DB, table string) bool {
	t.Helper()
	q := "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1"
	if db.Dialect().Name() == "postgres" {
		q = "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = $1"
	}
	return integration.Scalar[int64](t, db, q, table) == 1
}

// A migrated database has the migrations' tables, indexes, constraints
// and seed rows, and its version table says every migration is applied.
func TestEachMigrated(t *testing.T) {
	integration.EachMigrated(t, testdata, "migrations", func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		for table, want := range map[string]int64{"artist": 2, "album": 3, "track": 4} {
			if n := integration.Scalar[int64](t, db, "SELECT count(*) FROM "+table); n != want {
				t.Errorf("%s has %d rows, want %d", table, n, want)
			}
		}
		if got := integration.Scalar[string](t, db, "SELECT title FROM track WHERE id = 4"); got != "Midnight City" {
			t.Errorf("track 4 = %q", got)
		}
		_, err := db.Exec(ctx, "INSERT INTO album (id, artist_id, title) VALUES (9, 99, 'nobody''s')")
		if !errors.Is(err, dialect.ErrForeignKey) {
			t.Errorf("an album of no artist: err = %v, want a foreign key violation", err)
		}
		r, err := migrate.New(db, testdata, "migrations", migrate.Options{})
		if err != nil {
			t.Fatal(err)
		}
		status, err := r.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(status) != 3 {
			t.Fatalf("status lists %d migrations, want 3", len(status))
		}
		for _, s := range status {
			if s.State != migrate.Applied {
				t.Errorf("%s, want applied", s)
			}
		}
		if applied, err := r.Up(ctx, 0); err != nil || len(applied) != 0 {
			t.Errorf("Up applied %v (err %v), want nothing left to apply", applied, err)
		}
	})
}

// Two clones are independent, of each other and of the template.
func TestMigratedIndependent(t *testing.T) {
	for _, name := range integration.Dialects() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a := integration.Migrated(t, name, testdata, "migrations")
			b := integration.Migrated(t, name, testdata, "migrations")
			if _, err := a.Exec(ctx, "DELETE FROM album WHERE id = 1"); err != nil {
				t.Fatal(err)
			}
			if _, err := b.Exec(ctx, "INSERT INTO artist (id, name) VALUES (3, 'Abba')"); err != nil {
				t.Fatal(err)
			}
			checks := []struct {
				db   dialect.DB
				sql  string
				want int64
			}{
				{a, "SELECT count(*) FROM track", 2}, // album 1's tracks went with it
				{a, "SELECT count(*) FROM artist", 2},
				{b, "SELECT count(*) FROM track", 4},
				{b, "SELECT count(*) FROM artist", 3},
			}
			for i, c := range checks {
				if n := integration.Scalar[int64](t, c.db, c.sql); n != c.want {
					t.Errorf("check %d: %s = %d, want %d", i, c.sql, n, c.want)
				}
			}
			c := integration.Migrated(t, name, testdata, "migrations")
			if n := integration.Scalar[int64](t, c, "SELECT count(*) FROM track"); n != 4 {
				t.Errorf("a later clone has %d tracks, want the template's 4", n)
			}
		})
	}
}

// changed returns the test's migrations with the files of changes
// replacing or added to them.
func changed(t *testing.T, changes fstest.MapFS) fstest.MapFS {
	t.Helper()
	files := fstest.MapFS{}
	entries, err := fs.ReadDir(testdata, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := fs.ReadFile(testdata, "migrations/"+e.Name())
		if err != nil {
			t.Fatal(err)
		}
		files["migrations/"+e.Name()] = &fstest.MapFile{Data: data}
	}
	for name, f := range changes {
		files[name] = f
	}
	return files
}

// A changed migration, or a new one, gives another template; the
// original set's clones are as before.
func TestMigratedChangedSet(t *testing.T) {
	added := changed(t, fstest.MapFS{
		"migrations/0004_label.up.sql": {Data: []byte("CREATE TABLE label (id INTEGER PRIMARY KEY, name TEXT NOT NULL);")},
	})
	edited := changed(t, fstest.MapFS{
		"migrations/0003_track.up.sql": {Data: []byte(
			"CREATE TABLE track (id INTEGER PRIMARY KEY, album_id INTEGER NOT NULL REFERENCES album (id), title TEXT NOT NULL, bpm INTEGER);")},
	})
	for _, name := range integration.Dialects() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			orig := integration.Migrated(t, name, testdata, "migrations")
			withLabel := integration.Migrated(t, name, added, "migrations")
			withBPM := integration.Migrated(t, name, edited, "migrations")
			if tableExists(t, orig, "label") || !tableExists(t, withLabel, "label") || tableExists(t, withBPM, "label") {
				t.Error("table label: want it in the clone of the set that adds it only")
			}
			if _, err := withBPM.Exec(ctx, "INSERT INTO track (id, album_id, title, bpm) VALUES (5, 1, 'x', 120)"); err != nil {
				t.Errorf("the edited migration's column: %v", err)
			}
			if n := integration.Scalar[int64](t, withBPM, "SELECT count(*) FROM track"); n != 1 {
				t.Errorf("the edited set's clone has %d tracks, want 1", n)
			}
			for _, db := range []dialect.DB{orig, withLabel} {
				if _, err := db.Exec(ctx, "INSERT INTO track (id, album_id, title, bpm) VALUES (5, 1, 'x', 120)"); err == nil {
					t.Error("a clone of a set without column bpm has it")
				}
				if n := integration.Scalar[int64](t, db, "SELECT count(*) FROM track"); n != 4 {
					t.Errorf("%d tracks, want 4", n)
				}
			}
		})
	}
}

// Many parallel tests each get a working clone of their own.
func TestMigratedParallel(t *testing.T) {
	for i := range 12 {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			t.Parallel()
			integration.EachMigrated(t, testdata, "migrations", func(t *testing.T, db dialect.DB) {
				ctx := context.Background()
				if _, err := db.Exec(ctx, "INSERT INTO artist (id, name) VALUES ($1, $2)", 10+i, "artist "+strconv.Itoa(i)); err != nil {
					t.Fatal(err)
				}
				if n := integration.Scalar[int64](t, db, "SELECT count(*) FROM artist"); n != 3 {
					t.Errorf("%d artists, want the 2 seeded and this test's", n)
				}
			})
		})
	}
}

// envFailing makes TestFailingChild run, and fail.
const envFailing = "GENREPO_INTEGRATION_FAILING_CHILD"

// TestFailingChild is run by TestFailedTestKeepsDatabase in a process of
// its own, where it fails on purpose; elsewhere it skips.
func TestFailingChild(t *testing.T) {
	if os.Getenv(envFailing) != "1" {
		t.Skip("run by TestFailedTestKeepsDatabase")
	}
	integration.EachMigrated(t, testdata, "migrations", func(t *testing.T, db dialect.DB) {
		if _, err := db.Exec(context.Background(), "INSERT INTO artist (id, name) VALUES (7, 'evidence')"); err != nil {
			t.Fatal(err)
		}
		t.Error("failing on purpose")
	})
}

// A failed test's database is kept, with what the test wrote, and the
// test's log says where; a passing test's is not.
func TestFailedTestKeepsDatabase(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestFailingChild$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), envFailing+"=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("the failing child: err = %v, want it to fail; output:\n%s", err, out)
	}
	kept := map[string]string{}
	for _, m := range regexp.MustCompile(`kept database (\S+) for inspection`).FindAllStringSubmatch(string(out), -1) {
		name := "sqlite"
		if strings.HasPrefix(m[1], "genrepo_clone_") {
			name = "postgres"
		}
		kept[name] = m[1]
	}
	ctx := context.Background()
	for _, name := range integration.Dialects() {
		if name == "postgres" && os.Getenv(integration.EnvDSN) == "" {
			// The child's own container, if it started one, is gone.
			t.Logf("postgres: not checked: %s is not set", integration.EnvDSN)
			continue
		}
		where, ok := kept[name]
		if !ok {
			t.Errorf("%s: no kept database in the child's log:\n%s", name, out)
			continue
		}
		db, drop := openKept(t, name, where)
		if got := integration.Scalar[string](t, db, "SELECT name FROM artist WHERE id = 7"); got != "evidence" {
			t.Errorf("%s: the kept database's artist 7 = %q", name, got)
		}
		_ = db.Close()
		if err := drop(ctx); err != nil {
			t.Errorf("%s: removing the kept database: %v", name, err)
		}
	}
}

// openKept opens a database the failing child kept, and returns it and a
// function that removes it.
func openKept(t *testing.T, name, where string) (dialect.DB, func(context.Context) error) {
	t.Helper()
	ctx := context.Background()
	if name == "sqlite" {
		db, err := sqlite.Open(ctx, where)
		if err != nil {
			t.Fatal(err)
		}
		return db, func(context.Context) error {
			_ = os.Remove(where + "-wal")
			_ = os.Remove(where + "-shm")
			return os.Remove(where)
		}
	}
	admin, err := postgres.Open(ctx, os.Getenv(integration.EnvDSN))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	cfg := admin.Pool().Config()
	cfg.ConnConfig.Database = where
	db, err := postgres.OpenConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return db, func(ctx context.Context) error {
		_, err := admin.Exec(ctx, "DROP DATABASE "+dialect.Quote(where))
		return err
	}
}

type shelf struct {
	ID   int64
	Name string
}

type shelfTable struct {
	*mapped.Table[shelf]
	ID   mapped.Column[shelf, int64]
	Name mapped.TextColumn[shelf, string]
}

var shelves = mapped.Define("shelf", func(t *mapped.Table[shelf], s *shelf) shelfTable {
	return shelfTable{ID: mapped.PrimaryKey(t, &s.ID), Name: mapped.Text(t, &s.Name, mapped.Unique())}
})

type box struct {
	ID      int64
	ShelfID int64
	Label   string
}

type boxTable struct {
	*mapped.Table[box]
	ID      mapped.Column[box, int64]
	ShelfID mapped.Column[box, int64]
	Label   mapped.TextColumn[box, string]
}

var boxes = mapped.Define("box", func(t *mapped.Table[box], b *box) boxTable {
	return boxTable{ID: mapped.PrimaryKey(t, &b.ID), ShelfID: mapped.ForeignKey(t, &b.ShelfID, shelves.ID, mapped.OnDelete(mapped.Cascade)),
		Label: mapped.Text(t, &b.Label)}
})

var storage = model.MustNew(model.Tables(shelves, boxes))

// A database created from a model has its tables, empty, with the
// model's constraints, and works through repositories.
func TestEachCreated(t *testing.T) {
	integration.EachCreated(t, storage, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		db = storage.Bind(db)
		for _, table := range []string{"shelf", "box"} {
			if n := integration.Scalar[int64](t, db, "SELECT count(*) FROM "+table); n != 0 {
				t.Errorf("%s has %d rows, want 0", table, n)
			}
		}
		top := &shelf{Name: "top"}
		if err := repo.New(db, shelves.Table).Insert(ctx, top); err != nil {
			t.Fatal(err)
		}
		if err := repo.New(db, boxes.Table).Insert(ctx, &box{ShelfID: top.ID, Label: "a"}); err != nil {
			t.Fatal(err)
		}
		if err := repo.New(db, shelves.Table).Insert(ctx, &shelf{Name: "top"}); !errors.Is(err, dialect.ErrUnique) {
			t.Errorf("a second shelf named top: err = %v, want a unique violation", err)
		}
		if _, err := db.Exec(ctx, "DELETE FROM shelf"); err != nil {
			t.Fatal(err)
		}
		if n := integration.Scalar[int64](t, db, "SELECT count(*) FROM box"); n != 0 {
			t.Errorf("%d boxes left after their shelf's delete, want the cascade to take them", n)
		}
	})
}
