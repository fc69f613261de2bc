package diff

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/genrepo/genrepo/migrate"
)

// storyModule writes a Go module, storyapp, that uses genrepo from this
// repository (a replace directive, as a project under development might
// have) and holds the story's two models, testdata/storyapp/v1 and v2,
// and returns its directory. Its go.mod lists genrepo's requirements and
// its go.sum is genrepo's, so the go command builds it without changing
// either, as it builds a user's tidy module.
func storyModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	rootMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	_, requires, _ := strings.Cut(string(rootMod), "\nrequire")
	gomod := "module storyapp\n\ngo 1.26.0\n\nrequire github.com/genrepo/genrepo v0.0.0\n\nrequire" + requires +
		"\nreplace github.com/genrepo/genrepo => " + root + "\n"
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"go.mod": []byte(gomod), "go.sum": sum}
	for _, v := range []string{"v1", "v2", "qualified"} {
		src, err := os.ReadFile(filepath.Join("testdata", "storyapp", v, "model.go"))
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Join(v, "model.go")] = src
	}
	for name, b := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestStory runs the migration story on both dialects: version 1 diffed
// from model v1 into an empty database and applied, data inserted, model
// v2 (a column added, one made nullable, an index, a new related table)
// diffed into version 2 and applied with the data intact, a diff that
// finds nothing, status, down to version 1 with v1's data intact, and
// two concurrent ups that apply version 2 once.
func TestStory(t *testing.T) {
	mod := storyModule(t)
	for _, d := range []string{SQLite, Postgres} {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			story(t, newDatabase(t, d), mod)
		})
	}
}

func story(t *testing.T, d *database, mod string) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "migrations")
	diff := func(name, model string, wantWarnings ...string) *Result {
		t.Helper()
		var warn bytes.Buffer
		res, err := Run(ctx, Options{DSN: d.dsn, Model: model, ModuleDir: mod, Dir: dir, Name: name, Warnings: &warn})
		if err != nil {
			t.Fatal(err)
		}
		var want string
		for _, w := range wantWarnings {
			want += "genrepo migrate diff: warning: " + w + "\n"
		}
		if warn.String() != want {
			t.Errorf("diff %s: warnings:\n%s\nwant:\n%s", name, warn.String(), want)
		}
		return res
	}
	db := d.open(t)
	newRunner := func() *migrate.Runner {
		t.Helper()
		r, err := migrate.New(db, os.DirFS(dir), ".", migrate.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	up := func(r *migrate.Runner) []string {
		t.Helper()
		applied, err := r.Up(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, m := range applied {
			names = append(names, m.String())
		}
		return names
	}
	status := func() []string {
		t.Helper()
		st, err := newRunner().Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range st {
			out = append(out, s.String())
		}
		return out
	}

	// Version 1, from model v1 into the empty database.
	res := diff("init", "storyapp/v1")
	if filepath.Base(res.UpFile) != "0001_init.up.sql" || filepath.Base(res.DownFile) != "0001_init.down.sql" {
		t.Fatalf("version 1 written to %q and %q", res.UpFile, res.DownFile)
	}
	if got := up(newRunner()); !slices.Equal(got, []string{"0001_init"}) {
		t.Fatalf("up applied %v, want 0001_init", got)
	}
	execAll(t, db,
		"INSERT INTO author (name, email) VALUES ('Ann', 'ann@example.com')",
		"INSERT INTO author (name, email) VALUES ('Bob', 'bob@example.com')",
		"INSERT INTO book (author_id, title) VALUES (1, 'First'), (2, 'Second'), (1, 'Third')")
	authors := []string{"1|Ann|ann@example.com", "2|Bob|bob@example.com"}
	books := []string{"1|1|First", "2|2|Second", "3|1|Third"}
	checkRows := func(when string) {
		t.Helper()
		if got := rows(t, db, "SELECT CAST(id AS TEXT), name, email FROM author ORDER BY id"); !slices.Equal(got, authors) {
			t.Errorf("%s: authors %q, want %q", when, got, authors)
		}
		if got := rows(t, db, "SELECT CAST(id AS TEXT), CAST(author_id AS TEXT), title FROM book ORDER BY id"); !slices.Equal(got, books) {
			t.Errorf("%s: books %q, want %q", when, got, books)
		}
	}

	// A diff of the model the database is at finds nothing, writes nothing.
	if res := diff("nothing", "storyapp/v1.Model"); len(res.Up) != 0 || len(res.Down) != 0 || res.UpFile != "" {
		t.Fatalf("diff of model v1 against version 1: %+v", res)
	}

	// Version 2, from model v2.
	res = diff("v2", "storyapp/v2.Model",
		"down makes column author.email NOT NULL again: it fails while a row holds NULL there; add an UPDATE that fills them to the down file if it must run")
	if filepath.Base(res.UpFile) != "0002_v2.up.sql" {
		t.Fatalf("version 2 written to %q", res.UpFile)
	}
	upSQL, err := os.ReadFile(res.UpFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"bio", "review", "book_id", "INDEX"} {
		if !strings.Contains(string(upSQL), want) {
			t.Errorf("0002_v2.up.sql has no %q:\n%s", want, upSQL)
		}
	}
	if got := up(newRunner()); !slices.Equal(got, []string{"0002_v2"}) {
		t.Fatalf("up applied %v, want 0002_v2", got)
	}
	checkRows("after version 2")
	// What version 2 added works: a bio, an author without email, a review
	// of a book, which goes with the book.
	execAll(t, db,
		"UPDATE author SET bio = 'Writes' WHERE id = 1",
		"INSERT INTO author (name) VALUES ('Cy')",
		"INSERT INTO review (book_id, stars) VALUES (3, 5)",
		"INSERT INTO review (book_id) VALUES (2)")
	if got, want := rows(t, db, "SELECT CAST(id AS TEXT), name, bio FROM author ORDER BY id"),
		[]string{"1|Ann|Writes", "2|Bob|NULL", "3|Cy|NULL"}; !slices.Equal(got, want) {
		t.Errorf("authors with bio %q, want %q", got, want)
	}
	execAll(t, db, "DELETE FROM book WHERE id = 3")
	if got, want := rows(t, db, "SELECT CAST(id AS TEXT), CAST(book_id AS TEXT), CAST(stars AS TEXT) FROM review ORDER BY id"),
		[]string{"2|2|0"}; !slices.Equal(got, want) {
		t.Errorf("reviews %q, want %q (the default, and the cascade)", got, want)
	}
	execAll(t, db, "DELETE FROM author WHERE id = 3",
		"INSERT INTO book (id, author_id, title) VALUES (3, 1, 'Third')")
	if res := diff("nothing", "storyapp/v2"); len(res.Up) != 0 || res.UpFile != "" {
		t.Fatalf("diff of model v2 against version 2: %+v", res)
	}
	if got, want := status(), []string{"0001_init applied", "0002_v2 applied"}; !slices.Equal(got, want) {
		t.Errorf("status %q, want %q", got, want)
	}

	// Down to version 1: v1's columns keep their data.
	reverted, err := newRunner().Down(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(reverted) != 1 || reverted[0].String() != "0002_v2" {
		t.Fatalf("down reverted %v, want 0002_v2", reverted)
	}
	checkRows("after down")
	if got, want := status(), []string{"0001_init applied", "0002_v2 pending"}; !slices.Equal(got, want) {
		t.Errorf("status %q, want %q", got, want)
	}
	// The database is at model v1 again: the differ finds nothing. Run
	// refuses to diff it, since 0002 is pending.
	ddl, err := ModelSQL(ctx, mod, "storyapp/v1", d.dialect)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := Plan(ctx, d.dsn, ddl, ""); err != nil || len(c.Up) != 0 {
		t.Fatalf("diff of model v1 after down: %+v, %v", c, err)
	}
	if _, err := Run(ctx, Options{DSN: d.dsn, Model: "storyapp/v1", ModuleDir: mod, Dir: dir, Name: "nothing"}); err == nil ||
		!strings.Contains(err.Error(), "0002_v2 pending") {
		t.Errorf("Run with 0002 pending: %v; want it refused", err)
	}

	// Two runners at once apply version 2 once between them.
	var (
		wg  sync.WaitGroup
		got [2][]string
	)
	for i := range got {
		r := newRunner()
		wg.Go(func() {
			applied, err := r.Up(ctx, 0)
			if err != nil {
				t.Error(err)
			}
			for _, m := range applied {
				got[i] = append(got[i], m.String())
			}
		})
	}
	wg.Wait()
	if all := slices.Concat(got[0], got[1]); !slices.Equal(all, []string{"0002_v2"}) {
		t.Errorf("concurrent ups applied %q and %q, want 0002_v2 once", got[0], got[1])
	}
	checkRows("after the concurrent ups")
	if got, want := status(), []string{"0001_init applied", "0002_v2 applied"}; !slices.Equal(got, want) {
		t.Errorf("status %q, want %q", got, want)
	}
}

// TestModelInSchemaRefused: a model with a table in a named schema is
// refused by name before any statement is read, since the migrations diff
// writes are unqualified and would otherwise plan the schema's tables as
// missing.
func TestModelInSchemaRefused(t *testing.T) {
	mod := storyModule(t)
	for _, d := range []string{SQLite, Postgres} {
		_, err := ModelSQL(context.Background(), mod, "storyapp/qualified", d)
		if err == nil || !strings.Contains(err.Error(), "table ledger is in schema billing") {
			t.Errorf("%s: a model in schema billing: %v", d, err)
		}
	}
}
