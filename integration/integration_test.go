package integration_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/integration"
)

// Each runs its body on every dialect, each time with a database that
// works and starts empty.
func TestEach(t *testing.T) {
	var mu sync.Mutex
	var ran []string
	t.Run("each", func(t *testing.T) {
		integration.Each(t, func(t *testing.T, db dialect.DB) {
			ctx := context.Background()
			if _, err := db.Exec(ctx, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)"); err != nil {
				t.Fatal(err)
			}
			if n := integration.Scalar[int64](t, db, "SELECT COUNT(*) FROM note"); n != 0 {
				t.Errorf("%s: %d rows in a new table", db.Dialect().Name(), n)
			}
			mu.Lock()
			ran = append(ran, db.Dialect().Name())
			mu.Unlock()
		})
	})
	slices.Sort(ran)
	want := integration.Dialects()
	slices.Sort(want)
	if !slices.Equal(ran, want) {
		t.Errorf("Each ran on %v, want %v", ran, want)
	}
}

// A proxy's cut reaches the pool behind it.
func TestPostgresProxy(t *testing.T) {
	db, p := integration.PostgresProxy(t, nil)
	ctx := context.Background()
	if n := integration.Scalar[int64](t, db, "SELECT 1"); n != 1 {
		t.Fatalf("SELECT 1 = %d", n)
	}
	p.Cut()
	p.Refuse()
	if _, err := db.Exec(ctx, "SELECT 1"); err == nil {
		t.Error("a statement through a refusing proxy succeeded")
	}
}
