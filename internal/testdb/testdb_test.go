package testdb_test

import (
	"context"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
)

// Two databases handed out to tests never share tables, on any dialect.
func TestDatabasesIsolated(t *testing.T) {
	t.Parallel()
	for _, name := range testdb.Dialects {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			a := testdb.Open(t, name)
			b := testdb.Open(t, name)
			if _, err := a.Exec(ctx, "CREATE TABLE only_in_a (n INTEGER)"); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Exec(ctx, "INSERT INTO only_in_a (n) VALUES (1)"); err != nil {
				t.Fatal(err)
			}
			if _, err := b.Query(ctx, "SELECT n FROM only_in_a"); err == nil {
				t.Error("a table created in one test database is visible in another")
			}
			// The same name is free in the other database.
			if _, err := b.Exec(ctx, "CREATE TABLE only_in_a (n INTEGER)"); err != nil {
				t.Errorf("creating the same table in the second database: %v", err)
			}
			if got := testdb.Scalar[int64](t, b, "SELECT count(*) FROM only_in_a"); got != 0 {
				t.Errorf("second database's table holds %d rows, want 0", got)
			}
		})
	}
}

// Every PostgreSQL test database is a schema of its own, on the search
// path of every connection of its pool, and dropped when its test ends.
func TestPostgresSchemaPerTest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var schema string
	t.Run("inner", func(t *testing.T) {
		db := testdb.Postgres(t)
		schema = testdb.Scalar[string](t, db, "SELECT current_schema()")
		if !strings.HasPrefix(schema, "genrepo_test_") {
			t.Errorf("current_schema() = %q, want a genrepo_test_ schema", schema)
		}
		// Every connection of the pool sees the same schema.
		var conns []dialect.Conn
		for range 3 {
			c, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
		for i, c := range conns {
			if got := testdb.Scalar[string](t, c, "SELECT current_schema()"); got != schema {
				t.Errorf("connection %d is in schema %q, want %q", i, got, schema)
			}
			c.Release()
		}
		if _, err := db.Exec(ctx, "CREATE TABLE kept_until_cleanup (n integer)"); err != nil {
			t.Fatal(err)
		}
	})
	if t.Failed() || schema == "" {
		return
	}
	other := testdb.Postgres(t)
	if got := testdb.Scalar[string](t, other, "SELECT current_schema()"); got == schema {
		t.Errorf("two tests got the same schema %q", schema)
	}
	if n := testdb.Scalar[int64](t, other, "SELECT count(*) FROM pg_namespace WHERE nspname = $1", schema); n != 0 {
		t.Errorf("schema %s still exists after its test ended", schema)
	}
}

// Each runs the body once per dialect, in subtests named after the
// dialects, each with a database of that dialect.
func TestEach(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var ran []string
	t.Run("each", func(t *testing.T) {
		testdb.Each(t, func(t *testing.T, db dialect.DB) {
			sub := path.Base(t.Name())
			if got := db.Dialect().Name(); got != sub {
				t.Errorf("subtest %s got a %s database", sub, got)
			}
			if err := db.Ping(context.Background()); err != nil {
				t.Errorf("Ping: %v", err)
			}
			mu.Lock()
			ran = append(ran, sub)
			mu.Unlock()
		})
	})
	slices.Sort(ran)
	// PostgreSQL may be skipped; SQLite always runs.
	if !slices.Contains(ran, "sqlite") {
		t.Errorf("Each ran on %q, want sqlite among them", ran)
	}
	for _, name := range ran {
		if !slices.Contains(testdb.Dialects, name) {
			t.Errorf("Each ran a subtest %q that is no dialect", name)
		}
	}
}

func TestOpenPassesOptions(t *testing.T) {
	t.Parallel()
	for _, name := range testdb.Dialects {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var seen []string
			db := testdb.Open(t, name, dialect.WithHook(func(_ context.Context, e dialect.Event) {
				mu.Lock()
				seen = append(seen, e.SQL)
				mu.Unlock()
			}))
			if _, err := db.Exec(context.Background(), "CREATE TABLE hooked (n INTEGER)"); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if !slices.Equal(seen, []string{"CREATE TABLE hooked (n INTEGER)"}) {
				t.Errorf("hook saw %q", seen)
			}
		})
	}
}
