package repo_test

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
)

func TestUpsert(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		other := &person{Name: "Other", Email: "other@example.com", Age: 1}
		insertAll(t, r, other)

		// No conflict: a plain insert that fills the generated key.
		p := &person{Name: "Ada", Email: "ada@example.com", Age: 36}
		if err := r.Upsert(ctx, p); err != nil {
			t.Fatalf("Upsert (insert path): %v", err)
		}
		if p.ID == 0 || p.ID == other.ID {
			t.Fatalf("key after Upsert (insert path): got %d, want a new non-zero key", p.ID)
		}
		if n := count(t, r); n != 2 {
			t.Fatalf("rows after Upsert (insert path): got %d, want 2", n)
		}

		// Conflict on the primary key: the other columns are overwritten.
		byKey := &person{ID: p.ID, Name: "Ada Lovelace", Email: "lovelace@example.com", Age: 37, Nick: ptr("countess")}
		if err := r.Upsert(ctx, byKey); err != nil {
			t.Fatalf("Upsert (key conflict): %v", err)
		}
		if byKey.ID != p.ID {
			t.Errorf("key after Upsert (key conflict): got %d, want %d", byKey.ID, p.ID)
		}
		got, err := r.Get(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Ada Lovelace" || got.Email != "lovelace@example.com" || got.Age != 37 ||
			got.Nick == nil || *got.Nick != "countess" {
			t.Errorf("row after Upsert (key conflict): got %+v, want %+v", *got, *byKey)
		}
		if n := count(t, r); n != 2 {
			t.Errorf("rows after Upsert (key conflict): got %d, want 2", n)
		}

		// Conflict on a unique column: no key given, the stored row is
		// updated and its key filled in.
		byEmail := &person{Name: "A. Lovelace", Email: "lovelace@example.com", Age: 0}
		if err := r.Upsert(ctx, byEmail, people.Email); err != nil {
			t.Fatalf("Upsert (email conflict): %v", err)
		}
		if byEmail.ID != p.ID {
			t.Errorf("key after Upsert (email conflict): got %d, want the stored row's %d", byEmail.ID, p.ID)
		}
		got, err = r.Get(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "A. Lovelace" || got.Age != 0 || got.Nick != nil {
			t.Errorf("row after Upsert (email conflict): got %+v (nick %v), want name A. Lovelace, age 0, nil nick",
				*got, got.Nick)
		}
		gotOther, err := r.Get(ctx, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *gotOther != *other {
			t.Errorf("Upsert touched another row: got %+v, want %+v", *gotOther, *other)
		}

		// A unique target that conflicts with nothing inserts.
		fresh := &person{Name: "New", Email: "new@example.com"}
		if err := r.Upsert(ctx, fresh, people.Email); err != nil {
			t.Fatalf("Upsert (email, no conflict): %v", err)
		}
		if fresh.ID == 0 || fresh.ID == p.ID || fresh.ID == other.ID {
			t.Errorf("key after Upsert (email, no conflict): got %d, want a new key", fresh.ID)
		}
		if n := count(t, r); n != 3 {
			t.Errorf("rows after every Upsert: got %d, want 3", n)
		}

		// Targeting the email column, a clash on the primary key is still
		// a unique violation rather than an update.
		clash := &person{ID: other.ID, Name: "Clash", Email: "clash@example.com"}
		wantErr(t, "Upsert on email clashing on the key", r.Upsert(ctx, clash, people.Email), dialect.ErrUnique)
	})
}
