package main

// Tests from an adversarial review of the command line: each one failed
// before the fix it names.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/cmd/genrepo/internal/testdb"
)

// A flag that a migrate subcommand does not take is refused, and nothing
// is done: it was ignored, so "migrate down --to 1" reverted the latest
// migration instead of going down to version 1, and "migrate status --to
// 1" looked like it asked for something. Run on both dialects, as the
// refusal must come before the database is touched.
func TestReviewMigrateFlagMisuse(t *testing.T) {
	for _, d := range []string{"sqlite", "postgres"} {
		t.Run(d, func(t *testing.T) {
			dsn, _ := testdb.Fresh(t, d, "review")
			dir := t.TempDir()
			files := map[string]string{
				"0001_a.up.sql": "CREATE TABLE a (id INTEGER PRIMARY KEY);", "0001_a.down.sql": "DROP TABLE a;",
				"0002_b.up.sql": "CREATE TABLE b (id INTEGER PRIMARY KEY);", "0002_b.down.sql": "DROP TABLE b;",
			}
			for name, text := range files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if _, _, err := cli(t, "migrate", "up", "--to", "1", "--dsn", dsn, "--dir", dir); err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				args []string
				flag string
			}{
				{[]string{"migrate", "down", "--to", "0", "--dsn", dsn, "--dir", dir}, "--to"},
				{[]string{"migrate", "status", "--to", "2", "--dsn", dsn, "--dir", dir}, "--to"},
				{[]string{"migrate", "up", "--model", "app/store", "--dsn", dsn, "--dir", dir}, "--model"},
				{[]string{"migrate", "new", "c", "--dsn", dsn, "--dir", dir}, "--dsn"},
				{[]string{"migrate", "new", "c", "--table", "t", "--dir", dir}, "--table"},
				{[]string{"migrate", "diff", "c", "--to", "2", "--model", "app/store", "--dsn", dsn, "--dir", dir}, "--to"},
			} {
				out, _, err := cli(t, tc.args...)
				if err == nil || !strings.Contains(err.Error(), tc.flag+" does not apply") {
					t.Errorf("genrepo %s: %v (printed %q); want %s refused", strings.Join(tc.args, " "), err, out, tc.flag)
				}
			}
			out, _, err := cli(t, "migrate", "status", "--dsn", dsn, "--dir", dir)
			if err != nil || !strings.Contains(squeeze(out), "1 a applied") || !strings.Contains(squeeze(out), "2 b pending") {
				t.Errorf("status after the refusals: %v\n%s", err, out)
			}
			if entries, err := os.ReadDir(dir); err != nil || len(entries) != len(files) {
				t.Errorf("the directory holds %d files (%v), want %d", len(entries), err, len(files))
			}
		})
	}
}

// migrate up, down and status with a --dir that does not exist say so,
// naming it; they said "open .: file does not exist". On SQLite, status
// and down of a database file that does not exist (a typo) are refused
// instead of creating an empty database; up may begin a new one. The
// file half is SQLite's alone: a PostgreSQL URL names a server.
func TestReviewMigrateMissing(t *testing.T) {
	dsn, _ := testdb.Fresh(t, "sqlite", "review")
	missingDir := filepath.Join(t.TempDir(), "nowhere")
	for _, sub := range []string{"up", "down", "status"} {
		_, _, err := cli(t, "migrate", sub, "--dsn", dsn, "--dir", missingDir)
		if err == nil || !strings.Contains(err.Error(), missingDir) {
			t.Errorf("migrate %s --dir %s: %v; want an error naming the directory", sub, missingDir, err)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "0001_a.up.sql"), []byte("CREATE TABLE a (id INTEGER);"), 0o644); err != nil {
		t.Fatal(err)
	}
	typo := filepath.Join(t.TempDir(), "typo.db")
	for _, sub := range []string{"down", "status"} {
		_, _, err := cli(t, "migrate", sub, "--dsn", "sqlite:"+typo, "--dir", dir)
		if err == nil || !strings.Contains(err.Error(), typo) {
			t.Errorf("migrate %s of a missing SQLite file: %v; want an error naming it", sub, err)
		}
		if _, err := os.Stat(typo); err == nil {
			t.Fatalf("migrate %s created %s", sub, typo)
		}
	}
	if out, _, err := cli(t, "migrate", "up", "--dsn", "sqlite:"+typo, "--dir", dir); err != nil || !strings.Contains(out, "applied 0001_a") {
		t.Errorf("migrate up of a new SQLite file: %v\n%s", err, out)
	}
}
