package fresh

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect/connect"
)

func TestSQLite(t *testing.T) {
	ctx := context.Background()
	dsn, cleanup, err := Database(ctx, "", "fresh_test")
	if err != nil {
		t.Fatal(err)
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if st, err := os.Stat(path); err != nil || st.Size() != 0 {
		t.Fatalf("%s: %v, want an empty file", dsn, err)
	}
	cleanup()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("%s after cleanup: %v, want it gone", path, err)
	}

	// A file named by -dsn: absent or empty is fine, anything else refused.
	named := filepath.Join(t.TempDir(), "named.db")
	if got, _, err := Database(ctx, "sqlite:"+named, "fresh_test"); err != nil || got != "sqlite:"+named {
		t.Fatalf("Database(sqlite:%s) = %q, %v", named, got, err)
	}
	if err := os.WriteFile(named, []byte("data"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Database(ctx, "sqlite:"+named, "fresh_test"); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a non-empty file: %v, want refused as not empty", err)
	}
	if b, _ := os.ReadFile(named); string(b) != "data" {
		t.Errorf("the refused file holds %q, want it untouched", b)
	}
}

func TestRefused(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct{ dsn, name, want string }{
		{"", "Bad-Name", "example name"},
		{"", "", "example name"},
		{"mysql://x", "ok", "want sqlite:PATH or postgres://"},
	} {
		if _, _, err := Database(ctx, c.dsn, c.name); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Database(%q, %q) = %v, want an error with %q", c.dsn, c.name, err, c.want)
		}
	}
}

// TestPostgres checks that the schema is made anew, whatever it held, and
// that the URL selects it.
func TestPostgres(t *testing.T) {
	base := os.Getenv("GENREPO_POSTGRES_DSN")
	if base == "" {
		if os.Getenv("GENREPO_REQUIRE_POSTGRES") == "1" {
			t.Fatal("GENREPO_POSTGRES_DSN is not set and GENREPO_REQUIRE_POSTGRES=1")
		}
		t.Skip("PostgreSQL skipped: GENREPO_POSTGRES_DSN is not set")
	}
	ctx := context.Background()
	name := "fresh_" + strings.ToLower(rand.Text()[:12])
	t.Cleanup(func() {
		if db, err := connect.Open(ctx, base); err == nil {
			_, _ = db.Exec(ctx, `DROP SCHEMA IF EXISTS "`+name+`" CASCADE`)
			_ = db.Close()
		}
	})
	for round := range 2 {
		dsn, _, err := Database(ctx, base, name)
		if err != nil {
			t.Fatal(err)
		}
		db, err := connect.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		var schema string
		rows, err := db.Query(ctx, "SELECT current_schema()")
		if err == nil && rows.Next() {
			err = rows.Scan(&schema)
		}
		if err == nil {
			err = rows.Close()
		}
		if err != nil || schema != name {
			t.Fatalf("round %d: current_schema() = %q, %v; want %q", round, schema, err, name)
		}
		// The table of the first round is gone in the second.
		if _, err := db.Exec(ctx, "CREATE TABLE t (id bigint PRIMARY KEY)"); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		_ = db.Close()
	}
}
