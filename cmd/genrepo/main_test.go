package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cli runs the command line and returns its standard output and error.
func cli(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

// userModule writes a Go module requiring genrepo from this repository
// with the migration story's model v1 as package app/store, and returns
// its directory.
func userModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	rootMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	_, requires, _ := strings.Cut(string(rootMod), "\nrequire")
	files := map[string]string{
		"go.mod": "module app\n\ngo 1.26.0\n\nrequire github.com/genrepo/genrepo v0.0.0\n\nrequire" + requires +
			"\nreplace github.com/genrepo/genrepo => " + root + "\n",
	}
	for name, from := range map[string]string{"go.sum": filepath.Join(root, "go.sum"), "store/model.go": "diff/testdata/storyapp/v1/model.go"} {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(b)
	}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// squeeze makes every run of spaces in each line of s one space.
func squeeze(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}

// TestMigrateCommands runs genrepo migrate diff, new, up, status and down
// from inside a program's module on SQLite.
func TestMigrateCommands(t *testing.T) {
	mod := userModule(t)
	t.Chdir(mod)
	modFiles := map[string]string{}
	for _, name := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		modFiles[name] = string(b)
	}
	dbPath := filepath.Join(t.TempDir(), "app.db")
	if err := os.WriteFile(dbPath, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	dsn := "sqlite:" + dbPath
	step := func(want string, args ...string) string {
		t.Helper()
		out, stderr, err := cli(t, args...)
		if err != nil {
			t.Fatalf("genrepo %s: %v\n%s", strings.Join(args, " "), err, stderr)
		}
		out = squeeze(out)
		if !strings.Contains(out, want) {
			t.Fatalf("genrepo %s printed %q, want %q in it", strings.Join(args, " "), out, want)
		}
		return out
	}
	step("wrote migrations/0001_init.up.sql", "migrate", "diff", "init", "--dsn", dsn, "--model", "app/store")
	step("wrote migrations/0002_seed.up.sql", "migrate", "new", "seed")
	if err := os.WriteFile("migrations/0002_seed.up.sql", []byte("INSERT INTO author (name, email) VALUES ('Ann', 'ann@example.com');\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("migrations/0002_seed.down.sql", []byte("DELETE FROM author WHERE name = 'Ann';\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	step("1 init pending", "migrate", "status", "--dsn", dsn)
	step("applied 0001_init\n", "migrate", "up", "--to", "1", "--dsn", dsn)
	step("applied 0002_seed\n", "migrate", "up", "--dsn", dsn)
	step("nothing to apply", "migrate", "up", "--dsn", dsn)
	out := step("2 seed applied", "migrate", "status", "--dsn", dsn)
	if !strings.Contains(out, "1 init applied") {
		t.Errorf("status:\n%s", out)
	}
	step("no changes", "migrate", "diff", "again", "--model", "app/store.Model", "--dsn", dsn)
	if _, _, err := cli(t, "migrate", "diff", "x", "--dsn", dsn, "--model", "app/store.Nope"); err == nil || !strings.Contains(err.Error(), "Nope") {
		t.Errorf("diff of a variable that does not exist: %v", err)
	}
	step("erDiagram\nauthor {\nint64 id PK\n", "erd", "--model", "app/store")
	if _, _, err := cli(t, "erd", "--model", "app/store", "--out", "model.mmd"); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile("model.mmd"); err != nil || !strings.Contains(string(b), "author ||--o{ book") {
		t.Errorf("erd --out wrote %q, %v", b, err)
	}
	step("digraph model {\n", "erd", "--model", "app/store", "--format", "dot")
	step("reverted 0002_seed\nreverted 0001_init\n", "migrate", "down", "2", "--dsn", dsn)
	step("2 seed pending", "migrate", "status", "--dsn", dsn)
	for _, args := range [][]string{
		{"migrate"},
		{"migrate", "up"},
		{"migrate", "down", "x", "--dsn", dsn},
		{"migrate", "diff", "x", "--dsn", dsn},
		{"migrate", "new"},
		{"migrate", "drop", "--dsn", dsn},
		{"erd", "--model", "app/store", "--format", "png"},
	} {
		if _, _, err := cli(t, args...); err == nil {
			t.Errorf("genrepo %s: no error", strings.Join(args, " "))
		}
	}
	// Two migrations pending: diff refuses, naming them.
	if _, _, err := cli(t, "migrate", "diff", "x", "--dsn", dsn, "--model", "app/store"); err == nil || !strings.Contains(err.Error(), "0002_seed pending") {
		t.Errorf("diff with migrations pending: %v", err)
	}
	// diff left the module as it was: no temporary package, go.mod and
	// go.sum unchanged.
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "genrepodiff") {
			t.Errorf("%s left behind", e.Name())
		}
	}
	for _, name := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != modFiles[name] {
			t.Errorf("%s changed by diff", name)
		}
	}
}
