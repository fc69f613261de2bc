package gen

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.go.golden")

// generate runs Generate on d as package pkg and returns the source and
// the warnings. The tables are mapped unqualified: d's PostgreSQL schema
// is its connection's search_path, and the round trip creates them in
// another one.
func generate(t *testing.T, d *database, pkg string) ([]byte, string) {
	t.Helper()
	var warn bytes.Buffer
	files, err := Generate(context.Background(), Options{DSN: d.dsn, Schema: d.schema, Unqualified: true, Package: pkg, Warnings: &warn})
	if err != nil {
		t.Fatal(err)
	}
	return files[File], warn.String()
}

func TestGolden(t *testing.T) {
	for _, dialect := range []string{SQLite, Postgres} {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			d := newDatabase(t, dialect)
			d.exec(t, "testdata/small_"+dialect+".sql")
			src, warn := generate(t, d, "small")
			golden := "testdata/small_" + dialect + ".go.golden"
			if *update {
				if err := os.WriteFile(golden, src, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(src, want) {
				t.Errorf("generated code differs from %s (go test -update rewrites it):\n%s", golden, src)
			}
			// Every note in the code is a warning too, and the other way round.
			for _, w := range strings.Split(strings.TrimSpace(warn), "\n") {
				w = strings.TrimPrefix(w, "genrepo gen: warning: ")
				last := w[strings.LastIndex(w, ": ")+2:]
				if !bytes.Contains(src, []byte(last)) {
					t.Errorf("warning %q is not in the code", w)
				}
			}
			if got, want := strings.Count(warn, "\n"), bytes.Count(src, []byte("// Not mapped: ")); got != want {
				t.Errorf("%d warnings, %d notes in the code", got, want)
			}
		})
	}
}

// TestAlike generates the same tables, created on each dialect by its own
// SQL in an order that is not their names', with column types that map to
// the same Go types on both: the two files are the same, byte for byte,
// so one generated package serves both dialects.
func TestAlike(t *testing.T) {
	src := map[string][]byte{}
	for _, dialect := range []string{SQLite, Postgres} {
		d := newDatabase(t, dialect)
		d.exec(t, "testdata/alike_"+dialect+".sql")
		code, warn := generate(t, d, "store")
		if warn != "" {
			t.Errorf("%s: warnings:\n%s", dialect, warn)
		}
		src[dialect] = code
	}
	if !bytes.Equal(src[SQLite], src[Postgres]) {
		t.Errorf("generated code differs between the dialects:\nSQLite:\n%s\nPostgreSQL:\n%s", src[SQLite], src[Postgres])
	}
	// Tables come in their names' order, whatever the order of creation.
	if a, u := bytes.Index(src[SQLite], []byte("type Address struct")), bytes.Index(src[SQLite], []byte("type UserAccount struct")); a < 0 || u < a {
		t.Errorf("address at %d, user_account at %d: want address first", a, u)
	}
}

// program queries the generated Chinook mapping, and creates the
// generated models in empty databases for the round trip.
const program = `package main

import (
	"context"
	"encoding/json"
	"os"
	"slices"

	"github.com/genrepo/genrepo/dialect/connect"
	"github.com/genrepo/genrepo/repo"

	"gentest/chinook"
	"gentest/small"
)

func main() {
	ctx := context.Background()
	db, err := connect.Open(ctx, os.Args[1])
	check(err)
	name := "AC/DC"
	acdc, err := repo.New(db, chinook.Artists.Table).Where(chinook.Artists.Name.Eq(&name)).
		Load(chinook.ArtistAlbums).One(ctx)
	check(err)
	var titles []string
	for _, a := range acdc.Albums {
		titles = append(titles, a.Title)
	}
	slices.Sort(titles)
	music, err := repo.New(db, chinook.Playlists.Table).Where(chinook.Playlists.PlaylistID.Eq(1)).
		Load(chinook.PlaylistTracksRel).One(ctx)
	check(err)
	lines, err := repo.New(db, chinook.InvoiceLines.Table).Where(chinook.InvoiceLines.InvoiceID.Eq(1)).
		Load(chinook.InvoiceLineTrack).All(ctx)
	check(err)
	var bought []string
	for _, l := range lines {
		bought = append(bought, l.Track.Name+" "+l.UnitPrice)
	}
	slices.Sort(bought)
	check(json.NewEncoder(os.Stdout).Encode(map[string]any{"albums": titles, "playlist1": len(music.Tracks), "invoice1": bought}))
	empty, err := connect.Open(ctx, os.Args[2])
	check(err)
	check(chinook.Model.CreateAll(ctx, empty))
	empty2, err := connect.Open(ctx, os.Args[3])
	check(err)
	check(small.Model.CreateAll(ctx, empty2))
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}
`

// TestChinook creates Chinook by plain SQL, generates its mapping, builds
// and vets it in a module of its own, queries through it, and creates the
// generated models in empty databases, which must inspect as the
// originals do.
func TestChinook(t *testing.T) {
	data := readChinook(t)
	for _, dialect := range []string{SQLite, Postgres} {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			src, small, orig, smallOrig := newDatabase(t, dialect), newDatabase(t, dialect), newDatabase(t, dialect), newDatabase(t, dialect)
			orig.exec(t, "testdata/chinook_"+dialect+".sql")
			orig.load(t, data)
			smallOrig.exec(t, "testdata/small_"+dialect+".sql")
			code, _ := generate(t, orig, "chinook")
			smallCode, _ := generate(t, smallOrig, "small")
			dir := tempModule(t, map[string][]byte{"chinook/schema.go": code, "small/schema.go": smallCode, "main.go": []byte(program)})
			goCmd(t, dir, "build", "-o", "prog", ".")
			goCmd(t, dir, "vet", "./...")
			out, err := exec.Command(filepath.Join(dir, "prog"), orig.dsn, src.dsn, small.dsn).CombinedOutput()
			if err != nil {
				t.Fatalf("program: %v\n%s", err, out)
			}
			var got struct {
				Albums    []string
				Playlist1 int
				Invoice1  []string
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			want := chinookAnswers(t, data)
			if fmt.Sprint(got.Albums) != fmt.Sprint(want.Albums) || got.Playlist1 != want.Playlist1 ||
				fmt.Sprint(got.Invoice1) != fmt.Sprint(want.Invoice1) {
				t.Errorf("answers through the generated mapping:\n got %+v\nwant %+v", got, want)
			}
			roundTrip(t, orig, src)
			roundTrip(t, smallOrig, small)
		})
	}
}

// TestSchemaQualified (PostgreSQL only: SQLite has no schemas) maps the
// tables of a named schema into it, so that the generated mapping reads
// them, not a table of the same name the connection's search_path finds
// first.
func TestSchemaQualified(t *testing.T) {
	t.Parallel()
	real, decoy := newDatabase(t, Postgres), newDatabase(t, Postgres)
	for _, d := range []struct {
		db   *database
		name string
	}{{real, "real"}, {decoy, "decoy"}} {
		if _, err := d.db.db.Exec("CREATE TABLE widget (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.db.db.Exec("INSERT INTO widget (name) VALUES ($1)", d.name); err != nil {
			t.Fatal(err)
		}
	}
	files, err := Generate(context.Background(), Options{DSN: decoy.dsn, Schema: real.schema, Package: "widgets"})
	if err != nil {
		t.Fatal(err)
	}
	code := files[File]
	if want := fmt.Sprintf("t.InSchema(%q)", real.schema); !bytes.Contains(code, []byte(want)) {
		t.Fatalf("no %s in:\n%s", want, code)
	}
	unq, err := Generate(context.Background(), Options{DSN: decoy.dsn, Schema: real.schema, Unqualified: true, Package: "widgets"})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(unq[File], []byte("InSchema")) {
		t.Errorf("an unqualified mapping names its schema:\n%s", unq[File])
	}
	const prog = `package main

import (
	"context"
	"fmt"
	"os"

	"github.com/genrepo/genrepo/dialect/connect"
	"github.com/genrepo/genrepo/repo"

	"gentest/widgets"
)

func main() {
	ctx := context.Background()
	db, err := connect.Open(ctx, os.Args[1])
	if err != nil {
		panic(err)
	}
	all, err := repo.New(db, widgets.Widgets.Table).Query().All(ctx)
	if err != nil {
		panic(err)
	}
	for _, w := range all {
		fmt.Println(w.Name)
	}
}
`
	dir := tempModule(t, map[string][]byte{"widgets/schema.go": code, "main.go": []byte(prog)})
	goCmd(t, dir, "build", "-o", "prog", ".")
	out, err := exec.Command(filepath.Join(dir, "prog"), decoy.dsn).CombinedOutput()
	if err != nil {
		t.Fatalf("program: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "real" {
		t.Errorf("the mapping of schema %s read %q through a connection to %s, want real", real.schema, got, decoy.schema)
	}
}

// chinookAnswers reads the program's answers off the data itself.
func chinookAnswers(t *testing.T, data chinookData) (a struct {
	Albums    []string
	Playlist1 int
	Invoice1  []string
}) {
	rows := func(name string) [][]any {
		var out [][]any
		for _, raw := range data[name].Rows {
			var r []any
			if err := json.Unmarshal(raw, &r); err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		return out
	}
	var acdc float64
	for _, r := range rows("artist") {
		if r[1] == "AC/DC" {
			acdc = r[0].(float64)
		}
	}
	for _, r := range rows("album") {
		if r[2] == acdc {
			a.Albums = append(a.Albums, r[1].(string))
		}
	}
	slices.Sort(a.Albums)
	for _, r := range rows("playlist_track") {
		if r[0] == 1.0 {
			a.Playlist1++
		}
	}
	names := map[float64]string{}
	for _, r := range rows("track") {
		names[r[0].(float64)] = r[1].(string)
	}
	for _, r := range rows("invoice_line") {
		if r[1] == 1.0 {
			a.Invoice1 = append(a.Invoice1, fmt.Sprintf("%s %.2f", names[r[2].(float64)], r[3].(float64)))
		}
	}
	slices.Sort(a.Invoice1)
	if len(a.Albums) == 0 || a.Playlist1 == 0 || len(a.Invoice1) == 0 {
		t.Fatalf("no answer in the data: %+v", a)
	}
	return a
}

// tempModule writes files into a module that requires genrepo from this
// repository, with genrepo's go.sum.
func tempModule(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	files["go.mod"] = []byte("module gentest\n\ngo 1.26.0\n\nrequire github.com/genrepo/genrepo v0.0.0\n\nreplace github.com/genrepo/genrepo => " + root + "\n")
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	files["go.sum"] = sum
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

func goCmd(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// roundTrip checks that copy, made by the generated model's CreateAll,
// inspects as orig does, in the terms describe keeps.
func roundTrip(t *testing.T, orig, copy *database) {
	t.Helper()
	want, got := describe(t, orig), describe(t, copy)
	if w, g := strings.Join(want, "\n"), strings.Join(got, "\n"); w != g {
		t.Errorf("round trip of %s differs:\n--- original\n%s\n--- created by the generated model\n%s", orig.dialect, w, g)
	}
}

// describe lists what a round trip keeps of d's tables, one line per
// fact, sorted: each mapped table, its columns (the Go mapping of their
// type, nullability, default, generated key), primary key, unique
// constraints and indexes by their columns, and foreign keys with their
// ON DELETE. The package documentation lists what it leaves out.
func describe(t *testing.T, d *database) []string {
	t.Helper()
	s, err := Inspect(context.Background(), d.db, d.dialect, d.schema, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := newPlan(s, d.dialect, "x")
	var lines []string
	for _, tab := range p.tables {
		for _, c := range tab.cols {
			lines = append(lines, fmt.Sprintf("%s.%s %s%v null=%v default=%q auto=%v", tab.name, c.name,
				c.typ.base, c.typ.opts, c.nullable, c.def, c.auto))
		}
		var key []string
		for _, c := range tab.keyColumns() {
			key = append(key, c.name)
		}
		lines = append(lines, fmt.Sprintf("%s primary key %v", tab.name, key))
		keys := tab.keyColumns()
		for _, c := range tab.cols {
			if c.unique {
				lines = append(lines, fmt.Sprintf("%s unique [%s]", tab.name, c.name))
			}
			if c.index && !c.unique && keys[0] != c {
				// CreateAll gives a column leading the key no index of its own.
				lines = append(lines, fmt.Sprintf("%s index [%s]", tab.name, c.name))
			}
			if c.fk != nil {
				lines = append(lines, fmt.Sprintf("%s foreign key %s → %s(%s) on delete %q", tab.name, c.name,
					c.fk.parent.name, c.fk.ref.name, c.fk.onDelete))
			}
		}
		for _, u := range tab.uniques {
			var us []string
			for _, c := range u {
				us = append(us, c.name)
			}
			lines = append(lines, fmt.Sprintf("%s unique %v", tab.name, us))
		}
	}
	sort.Strings(lines)
	return lines
}
