package migrate_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/migrate"
)

// A SQLite migration that changes a setting of its connection with a
// PRAGMA (case_sensitive_like, recursive_triggers, foreign_keys…) would
// leave the setting on the pool's connection after the migration ended:
// Up and Down refuse it, before applying or reverting anything, with
// ErrPragma naming the file and the pragma, and the connection keeps its
// settings. PRAGMAs that only read, check, or set the database file's
// own numbers (user_version) or last one transaction
// (defer_foreign_keys) are run. SQLite only: PostgreSQL has no PRAGMA,
// and what a migration SETs there is put back (TestSessionSettingsRestored).
func TestConnectionPragmaRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// One connection, so that the migrations run on the connection read
	// afterwards.
	db, err := sqlite.OpenConfig(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "test.db"), OneConnection: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	settings := func() (like, recursive, fk int64) {
		t.Helper()
		return scalar[int64](t, db, "SELECT 'a' LIKE 'A'"), scalar[int64](t, db, "PRAGMA recursive_triggers"), scalar[int64](t, db, "PRAGMA foreign_keys")
	}
	check := func(what string) {
		t.Helper()
		if like, rec, fk := settings(); like != 0 || rec != 0 || fk != 1 {
			t.Errorf("%s: connection has 'a' LIKE 'A' %d, recursive_triggers %d, foreign_keys %d; want 0, 0, 1 as before", what, like, rec, fk)
		}
	}
	check("before")
	base := dir(
		"0001_a.up.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);\nPRAGMA user_version = 7;\nPRAGMA defer_foreign_keys = ON;\nPRAGMA foreign_key_check;\nPRAGMA main.foreign_keys;",
		"0001_a.down.sql", "DROP TABLE a;",
	)
	for _, c := range []struct{ name, sql, pragma string }{
		{"case_sensitive_like", "CREATE TABLE b (id INTEGER PRIMARY KEY);\n-- a comment; PRAGMA x\nPRAGMA case_sensitive_like = OFF;", "case_sensitive_like"},
		{"recursive_triggers", "CREATE TABLE b (id INTEGER PRIMARY KEY, s TEXT DEFAULT 'PRAGMA x;');\n/* ; */ pragma Recursive_Triggers(1)", "recursive_triggers"},
		{"foreign_keys, schema-qualified", "PRAGMA \"main\".foreign_keys=0; CREATE TABLE b (id INTEGER PRIMARY KEY);", "foreign_keys"},
	} {
		r := newRunner(t, db, with(base, "0002_b.up.sql", c.sql, "0002_b.down.sql", "DROP TABLE b;"))
		done, err := r.Up(ctx, 0)
		wantErr(t, err, migrate.ErrPragma, "migrate: up: 0002_b.up.sql: PRAGMA "+c.pragma+":")
		wantVersions(t, c.name, done)
		wantStates(t, r, "1 pending, 2 pending")
		check(c.name)
	}
	// The PRAGMAs of 0001 run; one in a down file is refused as well.
	r := newRunner(t, db, with(base, "0001_a.down.sql", "PRAGMA busy_timeout = 1;\nDROP TABLE a;"))
	if _, err := r.Up(ctx, 0); err != nil {
		t.Fatalf("Up with PRAGMAs that leave the connection as it was: %v", err)
	}
	if v := scalar[int64](t, db, "PRAGMA user_version"); v != 7 {
		t.Errorf("user_version %d, want 7", v)
	}
	check("after 0001")
	_, err = r.Down(ctx, 1)
	wantErr(t, err, migrate.ErrPragma, "migrate: down: 0001_a.down.sql: PRAGMA busy_timeout:")
	wantStates(t, r, "1 applied")
}
