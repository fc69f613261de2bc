package repo_test

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
)

// Query.With runs a query built on a pool in a transaction, which sees its
// own uncommitted rows; the original query still runs on the pool.
func TestQueryWith(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		tx, err := db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = tx.Rollback(ctx) }()
		if err := r.With(tx).Insert(ctx, &person{Name: "a", Email: "a@example.com"}); err != nil {
			t.Fatal(err)
		}
		q := r.Where(people.Name.Eq("a"))
		if got, err := q.With(tx).All(ctx); err != nil || len(got) != 1 {
			t.Errorf("With(tx).All = %d rows, %v; want 1", len(got), err)
		}
		if q.With(tx).Table() != people.Table {
			t.Error("With(tx).Table() is not the query's table")
		}
		if got, err := q.All(ctx); err != nil || len(got) != 0 {
			t.Errorf("All on the pool = %d rows, %v; want 0", len(got), err)
		}
	})
}
