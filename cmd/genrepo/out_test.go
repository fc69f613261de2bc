package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// genDB returns the URL of a new SQLite database holding one table.
func genDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gen.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE artist (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	return "sqlite:" + path
}

// gen --out writes DIR/schema.go, and writes it again over a file gen
// wrote; a schema.go it did not write (its header is not gen's) is
// refused, naming the file and --force, and left as it was, unless
// --force is given.
func TestGenOutRefusesOtherFile(t *testing.T) {
	t.Parallel()
	dsn := genDB(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "schema.go")
	args := []string{"gen", "--dsn", dsn, "--package", "store", "--out", dir}
	read := func() string {
		t.Helper()
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if _, _, err := cli(t, args...); err != nil {
		t.Fatalf("gen into an empty directory: %v", err)
	}
	first := read()
	if !strings.Contains(first, "type Artist struct") {
		t.Fatalf("gen wrote:\n%s", first)
	}
	// Over its own file: written again.
	if err := os.WriteFile(file, []byte(strings.Replace(first, "type Artist struct", "type Artist struct // edited", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cli(t, args...); err != nil {
		t.Fatalf("gen over the file it wrote: %v", err)
	}
	if got := read(); got != first {
		t.Errorf("gen over its own file wrote:\n%s\nwant:\n%s", got, first)
	}
	// Over a file of someone else's: refused, the file untouched.
	mine := "// Package store is hand-written.\npackage store\n\nconst Answer = 42\n"
	for _, content := range []string{mine, "", "package store\n"} {
		if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := cli(t, args...)
		if err == nil || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), "--force") {
			t.Errorf("gen over a file it did not write (%q): %v, want a refusal naming the file and --force", content, err)
		}
		if got := read(); got != content {
			t.Errorf("refused gen changed the file to:\n%s", got)
		}
	}
	// --force overwrites it.
	if _, _, err := cli(t, append(args, "--force")...); err != nil {
		t.Fatalf("gen --force: %v", err)
	}
	if got := read(); got != first {
		t.Errorf("gen --force wrote:\n%s\nwant:\n%s", got, first)
	}
}
