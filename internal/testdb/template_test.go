package testdb

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/sqlite"
)

// counted is a template of its own for one test: a random key, and a
// build that counts its runs and makes a table holding one row. The
// template is dropped when the test ends.
type counted struct {
	Template
	builds atomic.Int64
}

func newCounted(t *testing.T, env *Env, name string) *counted {
	t.Helper()
	c := &counted{}
	c.Key = "test " + t.Name() + " " + randomName(12)
	c.Build = func(ctx context.Context, db dialect.DB) error {
		c.builds.Add(1)
		_, err := db.Exec(ctx, "CREATE TABLE item (id INTEGER PRIMARY KEY, label TEXT NOT NULL)")
		if err == nil {
			_, err = db.Exec(ctx, "INSERT INTO item (id, label) VALUES (1, 'seed')")
		}
		return err
	}
	t.Cleanup(func() {
		if err := env.DropTemplate(context.Background(), name, c.Template); err != nil {
			t.Errorf("drop template: %v", err)
		}
	})
	return c
}

// testEnv returns an Env on the test server whose SQLite templates and
// kept files are in directories of the test's own.
func testEnv(t *testing.T, name string) *Env {
	t.Helper()
	if name == "postgres" {
		std.requireServer(t)
	}
	return &Env{server: std.server, cacheDir: t.TempDir(), keptDir: t.TempDir()}
}

// eachDialect runs body once per dialect, in parallel subtests.
func eachDialect(t *testing.T, body func(t *testing.T, name string)) {
	t.Helper()
	for _, name := range Dialects {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body(t, name)
		})
	}
}

// pgDatabases lists the test server's databases.
func pgDatabases(t *testing.T) []string {
	t.Helper()
	ctx := context.Background()
	conn, err := std.server().admin.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	names, err := databases(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// pgCreate creates a database on the test server, dropped when the test
// ends, and runs sql in it.
func pgCreate(t *testing.T, database, sql string) {
	t.Helper()
	ctx := context.Background()
	srv := std.server()
	if _, err := srv.admin.Exec(ctx, "CREATE DATABASE "+dialect.Quote(database)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = srv.admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+dialect.Quote(database)+" WITH (FORCE)")
	})
	db, err := srv.open(ctx, database, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(ctx, sql); err != nil {
		t.Fatal(err)
	}
}

// hasTable reports whether db has the table.
func hasTable(t *testing.T, db dialect.DB, table string) bool {
	t.Helper()
	q := "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $1"
	if db.Dialect().Name() == "postgres" {
		q = "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = $1"
	}
	return Scalar[int64](t, db, q, table) == 1
}

// A template is built once however many tests clone it at once, and once
// per server or machine: another binary (another Env) clones the same
// template without building it. Every clone holds what the build made.
func TestTemplateBuiltOnce(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, name string) {
		env := testEnv(t, name)
		tmpl := newCounted(t, env, name)
		t.Run("clones", func(t *testing.T) {
			for i := range 6 {
				t.Run(strconv.Itoa(i), func(t *testing.T) {
					t.Parallel()
					db := env.Clone(t, name, tmpl.Template)
					if got := Scalar[string](t, db, "SELECT label FROM item WHERE id = 1"); got != "seed" {
						t.Errorf("seed row's label = %q", got)
					}
				})
			}
		})
		other := &Env{server: env.server, cacheDir: env.cacheDir, keptDir: env.keptDir}
		db := other.Clone(t, name, tmpl.Template)
		if n := Scalar[int64](t, db, "SELECT count(*) FROM item"); n != 1 {
			t.Errorf("another Env's clone has %d rows, want 1", n)
		}
		if n := tmpl.builds.Load(); n != 1 {
			t.Errorf("the template was built %d times, want 1", n)
		}
	})
}

// A test's clone is its own: what one writes the template and the other
// clones do not see.
func TestClonesIndependent(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, name string) {
		env := testEnv(t, name)
		tmpl := newCounted(t, env, name)
		a := env.Clone(t, name, tmpl.Template)
		b := env.Clone(t, name, tmpl.Template)
		ctx := context.Background()
		if _, err := a.Exec(ctx, "INSERT INTO item (id, label) VALUES (2, 'only in a')"); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Exec(ctx, "DELETE FROM item"); err != nil {
			t.Fatal(err)
		}
		if n := Scalar[int64](t, a, "SELECT count(*) FROM item"); n != 2 {
			t.Errorf("clone a has %d rows, want 2", n)
		}
		c := env.Clone(t, name, tmpl.Template)
		if n := Scalar[int64](t, c, "SELECT count(*) FROM item"); n != 1 {
			t.Errorf("a later clone has %d rows, want the template's 1", n)
		}
	})
}

// Drop removes the clone; Keep keeps it, with what the test wrote, where
// it says.
func TestCloneDropAndKeep(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, name string) {
		env := testEnv(t, name)
		tmpl := newCounted(t, env, name)
		ctx := context.Background()
		dropped, err := env.NewClone(ctx, name, tmpl.Template)
		if err != nil {
			t.Fatal(err)
		}
		if err := dropped.Drop(ctx); err != nil {
			t.Fatal(err)
		}
		if name == "postgres" && slices.Contains(pgDatabases(t), dropped.name) {
			t.Errorf("database %s is still there after Drop", dropped.name)
		}
		if _, err := os.Stat(dropped.dir); name == "sqlite" && !errors.Is(err, os.ErrNotExist) {
			t.Errorf("directory %s is still there after Drop (%v)", dropped.dir, err)
		}

		kept, err := env.NewClone(ctx, name, tmpl.Template)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := kept.DB().Exec(ctx, "INSERT INTO item (id, label) VALUES (2, 'evidence')"); err != nil {
			t.Fatal(err)
		}
		where, err := kept.Keep(ctx, "TestSomething/case_1")
		if err != nil {
			t.Fatal(err)
		}
		db := openKept(t, env, name, where)
		if got := Scalar[string](t, db, "SELECT label FROM item WHERE id = 2"); got != "evidence" {
			t.Errorf("the kept database's row 2 = %q", got)
		}
	})
}

// openKept opens the kept database where, checks where it is, and removes
// it when the test ends.
func openKept(t *testing.T, env *Env, name, where string) dialect.DB {
	t.Helper()
	ctx := context.Background()
	var db dialect.DB
	var err error
	if name == "postgres" {
		t.Cleanup(func() {
			_, _ = std.server().admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+dialect.Quote(where)+" WITH (FORCE)")
		})
		if !strings.HasPrefix(where, clonePrefix) {
			t.Errorf("kept database %q is not a clone's", where)
		}
		db, err = std.server().open(ctx, where, nil)
	} else {
		base := filepath.Base(where)
		if filepath.Dir(where) != env.keptDir || !strings.HasPrefix(base, keptPrefix+"TestSomething_case_1-") {
			t.Errorf("kept file %s: want it in %s, named after the test", where, env.keptDir)
		}
		db, err = openSQLite(ctx, where)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// A template that a crashed build left half made is never cloned, and is
// dropped at the next build; one that fails to build leaves nothing.
func TestTemplateCrashedAndFailedBuilds(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, name string) {
		env := testEnv(t, name)
		tmpl := newCounted(t, env, name)
		hash := templateHash(name, tmpl.Key)
		now := time.Now()
		var leftovers []string
		if name == "postgres" {
			half := tmplPrefix + hash + "_" + strconv.FormatInt(now.Unix()-60, 10) + buildingSuffix
			pgCreate(t, half, "CREATE TABLE half (n INTEGER)")
			leftovers = append(leftovers, half)
		} else {
			leftovers = append(leftovers, fakeBuildDir(t, env, hash, now.Add(-2*time.Hour)))
		}
		db := env.Clone(t, name, tmpl.Template)
		if hasTable(t, db, "half") || !hasTable(t, db, "item") {
			t.Error("the clone is not of a complete template")
		}
		checkGone(t, env, name, leftovers)

		failing := Template{Key: "failing " + randomName(12), Build: func(ctx context.Context, db dialect.DB) error {
			if _, err := db.Exec(ctx, "CREATE TABLE made (n INTEGER)"); err != nil {
				return err
			}
			return errors.New("the third migration failed")
		}}
		_, err := env.NewClone(context.Background(), name, failing)
		if err == nil || !strings.Contains(err.Error(), "the third migration failed") ||
			!strings.Contains(err.Error(), templateHash(name, failing.Key)) {
			t.Errorf("a failing build: err = %v, want its error and the template's hash", err)
		}
		checkNoTemplate(t, env, name, templateHash(name, failing.Key))
	})
}

// fakeBuildDir makes a directory as a crashed SQLite build leaves, dated
// made, and returns it.
func fakeBuildDir(t *testing.T, env *Env, hash string, made time.Time) string {
	t.Helper()
	if err := os.MkdirAll(env.cacheDir, 0o700); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp(env.cacheDir, hash+"-*.tmp")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "build.db"), []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(dir, made, made); err != nil {
		t.Fatal(err)
	}
	return dir
}

// checkGone fails the test if any of the databases (PostgreSQL) or files
// (SQLite) is still there.
func checkGone(t *testing.T, env *Env, name string, things []string) {
	t.Helper()
	for _, thing := range things {
		if name == "postgres" {
			if slices.Contains(pgDatabases(t), thing) {
				t.Errorf("database %s is still there", thing)
			}
		} else if _, err := os.Stat(thing); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is still there (%v)", thing, err)
		}
	}
}

// checkNoTemplate fails the test if anything of a template of hash is
// left.
func checkNoTemplate(t *testing.T, env *Env, name, hash string) {
	t.Helper()
	var left []string
	if name == "postgres" {
		for _, n := range pgDatabases(t) {
			if strings.Contains(n, hash) {
				left = append(left, n)
			}
		}
	} else {
		entries, _ := os.ReadDir(env.cacheDir)
		for _, de := range entries {
			if strings.HasPrefix(de.Name(), hash) {
				left = append(left, de.Name())
			}
		}
	}
	if len(left) > 0 {
		t.Errorf("a failed build left %q", left)
	}
}

// A template older than TemplateMaxAge is built again; one expired for
// more than a day, and a kept clone older than KeptMaxAge, are removed
// at the next template's build, while younger ones stay.
func TestTemplateExpiry(t *testing.T) {
	t.Parallel()
	eachDialect(t, func(t *testing.T, name string) {
		env := testEnv(t, name)
		tmpl := newCounted(t, env, name)
		hash := templateHash(name, tmpl.Key)
		now := time.Now()
		day := 24 * time.Hour
		old := fakeTemplate(t, env, name, hash, now.Add(-TemplateMaxAge-day/2))
		gone := []string{fakeTemplate(t, env, name, strings.Repeat("0", 8)+randomHex(8), now.Add(-TemplateMaxAge-2*day))}
		stays := []string{old}
		gone = append(gone, fakeKept(t, env, name, now.Add(-KeptMaxAge-time.Hour)))
		stays = append(stays, fakeKept(t, env, name, now.Add(-KeptMaxAge+time.Hour)))

		db := env.Clone(t, name, tmpl.Template)
		if hasTable(t, db, "old") || !hasTable(t, db, "item") {
			t.Error("the clone is of the expired template")
		}
		if n := tmpl.builds.Load(); n != 1 {
			t.Errorf("built %d times, want 1", n)
		}
		checkGone(t, env, name, gone)
		for _, thing := range stays {
			if name == "postgres" && !slices.Contains(pgDatabases(t), thing) {
				t.Errorf("database %s was dropped too early", thing)
			}
		}
		if name == "sqlite" {
			if _, err := os.Stat(stays[1]); err != nil {
				t.Errorf("a kept file was removed too early: %v", err)
			}
		}
	})
}

// randomHex returns n random hexadecimal digits.
func randomHex(n int) string {
	const digits = "0123456789abcdef"
	s := []byte(randomName(n))
	for i, c := range s {
		s[i] = digits[int(c)%16]
	}
	return string(s)
}

// fakeTemplate makes a template of hash built at made, holding a table
// named old, and returns its database name or file.
func fakeTemplate(t *testing.T, env *Env, name, hash string, made time.Time) string {
	t.Helper()
	if name == "postgres" {
		db := tmplPrefix + hash + "_" + strconv.FormatInt(made.Unix(), 10)
		pgCreate(t, db, "CREATE TABLE old (n INTEGER)")
		return db
	}
	if err := os.MkdirAll(env.cacheDir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(env.cacheDir, hash+".db")
	db, err := openSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(context.Background(), "CREATE TABLE old (n INTEGER)"); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	if err := os.Chtimes(path, made, made); err != nil {
		t.Fatal(err)
	}
	return path
}

// fakeKept makes a kept database of a failed test, kept at made, and
// returns its name or file.
func fakeKept(t *testing.T, env *Env, name string, made time.Time) string {
	t.Helper()
	if name == "postgres" {
		db := clonePrefix + strconv.FormatInt(made.Unix(), 10) + "_" + randomName(8)
		pgCreate(t, db, "SELECT 1")
		return db
	}
	if err := os.MkdirAll(env.keptDir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(env.keptDir, keptPrefix+randomName(6)+".db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, made, made); err != nil {
		t.Fatal(err)
	}
	return path
}

// Names that are not a template's or a clone's, or not exactly, are
// never taken for one, and so never dropped.
func TestParseNames(t *testing.T) {
	now := time.Unix(2_000_000_000, 0)
	old := strconv.FormatInt(now.Add(-KeptMaxAge-time.Hour).Unix(), 10)
	for _, n := range []string{
		"genrepo_clone_" + old + "_abcdefg",   // 7 random characters
		"genrepo_clone_" + old + "_abcdefgh1", // '1' is not of the alphabet
		"genrepo_clone_" + old,
		"genrepo_clone_x" + old + "_abcdefgh",
		"genrepo_clone_" + old + "_ABCDEFGH",
		"genrepo_clones_" + old + "_abcdefgh",
		"postgres",
	} {
		if staleClone(n, now) {
			t.Errorf("%q is taken for a stale clone", n)
		}
	}
	if !staleClone("genrepo_clone_"+old+"_abcdefgh", now) {
		t.Error("a stale clone is not taken for one")
	}
	for _, n := range []string{
		"genrepo_tmpl_0123456789abcde_" + old,  // 15 digits
		"genrepo_tmpl_0123456789abcdeF_" + old, // upper case
		"genrepo_tmpl_0123456789abcdef_" + old + "_old",
		"genrepo_tmpl_0123456789abcdef_",
		"genrepo_tmpl_0123456789abcdef_-1",
	} {
		if _, ok := parseTemplate(n); ok {
			t.Errorf("%q is taken for a template", n)
		}
	}
	got, ok := parseTemplate("genrepo_tmpl_0123456789abcdef_" + old + "_new")
	if !ok || !got.building || got.hash != "0123456789abcdef" || got.made.Unix() != now.Add(-KeptMaxAge-time.Hour).Unix() {
		t.Errorf("parseTemplate = %+v, %v", got, ok)
	}
}

// Keys differ by dialect and by any byte of the key.
func TestTemplateHash(t *testing.T) {
	a := templateHash("sqlite", "CREATE TABLE a (n INTEGER)")
	for _, other := range []string{
		templateHash("postgres", "CREATE TABLE a (n INTEGER)"),
		templateHash("sqlite", "CREATE TABLE a (n  INTEGER)"),
		templateHash("sqlite", "CREATE TABLE a (n INTEGER);"),
	} {
		if other == a {
			t.Errorf("two templates share the hash %s", a)
		}
	}
	if a != templateHash("sqlite", "CREATE TABLE a (n INTEGER)") || len(a) != 16 {
		t.Errorf("templateHash = %q, want 16 digits, the same for the same key", a)
	}
}

// openSQLite opens the SQLite database file at path.
func openSQLite(ctx context.Context, path string) (dialect.DB, error) {
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	return db, nil
}
