package repo_test

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
)

// TestExplicitKeysThenGenerated inserts rows with keys given by the caller,
// then rows whose keys are generated: the generated keys must not collide
// with the given ones, on every dialect.
func TestExplicitKeysThenGenerated(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		given := []*person{{ID: 1, Name: "a", Email: "a@x"}, {ID: 2, Name: "b", Email: "b@x"}, {ID: 40, Name: "c", Email: "c@x"}}
		if err := r.InsertMany(ctx, given); err != nil {
			t.Fatal(err)
		}
		if err := r.Insert(ctx, &person{ID: 41, Name: "d", Email: "d@x"}); err != nil {
			t.Fatal(err)
		}
		next := &person{Name: "e", Email: "e@x"}
		if err := r.Insert(ctx, next); err != nil {
			t.Fatalf("insert with a generated key after explicit ones: %v", err)
		}
		if next.ID <= 41 {
			t.Errorf("generated key = %d, want one above the largest given key 41", next.ID)
		}
		if n := count(t, r); n != 5 {
			t.Errorf("rows = %d, want 5", n)
		}
	})
}
