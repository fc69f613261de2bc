package repo_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/repo"
)

// textCounter hands every statement on to its Executor and counts the
// distinct statement texts it sent.
type textCounter struct {
	dialect.Executor
	mu    sync.Mutex
	texts map[string]int
}

func (c *textCounter) note(sql string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.texts[sql]++
}

func (c *textCounter) Query(ctx context.Context, sql string, args ...any) (dialect.Rows, error) {
	c.note(sql)
	return c.Executor.Query(ctx, sql, args...)
}

func (c *textCounter) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	c.note(sql)
	return c.Executor.Exec(ctx, sql, args...)
}

// Paging through a table with one page size runs one statement, whatever
// the page: the offset is bound, never written into the text, so neither
// the driver's statement cache nor PostgreSQL's prepared statements grow
// with the pages. (The first page has no OFFSET, so two texts in all.)
func TestPagingStatements(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		const pages, size = 50, 3
		rows := make([]*person, pages*size)
		for i := range rows {
			rows[i] = &person{Name: fmt.Sprintf("p%03d", i), Email: fmt.Sprintf("p%03d@x", i), Age: i}
		}
		if err := r.InsertMany(ctx, rows); err != nil {
			t.Fatal(err)
		}
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Release()
		// PostgreSQL lists the statements prepared on a connection; the
		// count is read before and after through the same text, which is
		// prepared by the first read.
		prepared := func() int64 { return -1 }
		if db.Dialect().Name() == "postgres" {
			prepared = func() int64 {
				return testdb.Scalar[int64](t, conn, "SELECT count(*) FROM pg_prepared_statements")
			}
		}
		before := prepared()
		ex := &textCounter{Executor: conn, texts: map[string]int{}}
		pr := repo.New(ex, people.Table)
		for page := range pages {
			got, err := pr.OrderBy(people.ID.Asc()).Limit(size).Offset(int64(page * size)).All(ctx)
			if err != nil {
				t.Fatalf("page %d: %v", page, err)
			}
			if len(got) != size {
				t.Fatalf("page %d: %d rows, want %d", page, len(got), size)
			}
			for i, p := range got {
				if want := rows[page*size+i]; p.ID != want.ID || p.Name != want.Name {
					t.Fatalf("page %d row %d: got %d %q, want %d %q", page, i, p.ID, p.Name, want.ID, want.Name)
				}
			}
		}
		if len(ex.texts) != 2 {
			t.Errorf("%d pages ran %d statement texts, want 2 (first page, then every other): %v", pages, len(ex.texts), ex.texts)
		}
		if after := prepared(); after-before > 2 {
			t.Errorf("%d pages prepared %d statements on the connection, want at most 2", pages, after-before)
		}
	})
}

// PostgreSQL reuses the plan of a limited query: after its first five
// executions it compares a generic plan with the custom ones, and keeps
// the generic plan only when the LIMIT is part of the statement's text
// (with a bound LIMIT it costs the generic plan for 10% of the rows the
// WHERE matches, far more than LIMIT 100 asks here, and plans every
// execution anew). PostgreSQL only: SQLite's prepared statement is one
// program, run as it is whatever its parameters.
func TestLimitPlanReused(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		if db.Dialect().Name() != "postgres" {
			t.Skip("the choice between generic and custom plans is PostgreSQL's")
		}
		ctx := context.Background()
		newPeople(t, db)
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Release()
		for _, sql := range []string{
			`INSERT INTO "person" ("name", "email", "age") SELECT 'p' || g, 'p' || g || '@x', g % 90 FROM generate_series(1, 20000) AS g`,
			`ANALYZE "person"`,
		} {
			if _, err := conn.Exec(ctx, sql); err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
		}
		pr := repo.New(conn, people.Table)
		q := pr.Where(people.ID.Gt(0)).Limit(100)
		for range 12 {
			got, err := q.All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 100 {
				t.Fatalf("%d rows, want 100", len(got))
			}
		}
		generic := testdb.Scalar[int64](t, conn,
			"SELECT coalesce(sum(generic_plans), 0)::bigint FROM pg_prepared_statements WHERE strpos(statement, $1) > 0",
			`FROM "person" WHERE "id" > $1 LIMIT`)
		custom := testdb.Scalar[int64](t, conn,
			"SELECT coalesce(sum(custom_plans), 0)::bigint FROM pg_prepared_statements WHERE strpos(statement, $1) > 0",
			`FROM "person" WHERE "id" > $1 LIMIT`)
		if generic == 0 {
			t.Errorf("12 runs of %s: %d custom plans and no generic plan, want the plan reused", q, custom)
		}
	})
}
