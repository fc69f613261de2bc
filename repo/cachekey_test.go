package repo_test

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/integration"
)

// Updates of the same columns named in another order share one statement
// shape; each must still write every value to its own column.
func TestUpdateColumnOrder(t *testing.T) {
	t.Parallel()
	integration.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		p := &person{Name: "ann", Email: "ann@x", Age: 30}
		insertAll(t, r, p)
		p.Name, p.Email = "bea", "bea@x"
		if err := r.Update(ctx, p, people.Name, people.Email); err != nil {
			t.Fatal(err)
		}
		p.Name, p.Email = "cid", "cid@x"
		if err := r.Update(ctx, p, people.Email, people.Name); err != nil {
			t.Fatal(err)
		}
		got, err := r.Get(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "cid" || got.Email != "cid@x" {
			t.Errorf("stored name %q email %q, want cid, cid@x", got.Name, got.Email)
		}
	})
}

// A column named twice is written once, whatever was cached before.
func TestUpdateColumnTwice(t *testing.T) {
	t.Parallel()
	integration.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		p := &person{Name: "ann", Email: "ann@x", Age: 30}
		insertAll(t, r, p)
		p.Age = 31
		if err := r.Update(ctx, p, people.Age); err != nil {
			t.Fatal(err)
		}
		p.Age = 32
		if err := r.Update(ctx, p, people.Age, people.Age); err != nil {
			t.Fatal(err)
		}
		got, err := r.Get(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Age != 32 {
			t.Errorf("stored age %d, want 32", got.Age)
		}
	})
}
