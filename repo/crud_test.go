package repo_test

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
)

func TestInsertFillsGeneratedKey(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		a := &person{Name: "Ada", Email: "ada@example.com", Age: 36}
		b := &person{Name: "Bob", Email: "bob@example.com"}
		insertAll(t, r, a, b)
		if a.ID == 0 || b.ID == 0 || a.ID == b.ID {
			t.Fatalf("keys after Insert: got %d and %d, want two distinct non-zero keys", a.ID, b.ID)
		}
		got, err := r.Get(ctx, a.ID)
		if err != nil {
			t.Fatalf("Get(%d): %v", a.ID, err)
		}
		if *got != *a {
			t.Errorf("Get(%d): got %+v, want %+v", a.ID, *got, *a)
		}
	})
}

func TestInsertExplicitKey(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		p := &person{ID: 42, Name: "Forty-two", Email: "42@example.com"}
		insertAll(t, r, p)
		if p.ID != 42 {
			t.Errorf("key after Insert with explicit key: got %d, want 42", p.ID)
		}
		got, err := r.Get(ctx, int64(42))
		if err != nil {
			t.Fatalf("Get(42): %v", err)
		}
		if got.Name != "Forty-two" {
			t.Errorf("Get(42).Name: got %q, want %q", got.Name, "Forty-two")
		}
		// The same key again is a unique violation.
		err = r.Insert(ctx, &person{ID: 42, Name: "again", Email: "again@example.com"})
		wantErr(t, "Insert of a duplicate key", err, dialect.ErrUnique)
	})
}

func TestGet(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		p := &person{Name: "Ada", Email: "ada@example.com"}
		insertAll(t, r, p)

		found := []struct {
			name string
			key  any
		}{
			{"int64", p.ID},
			{"plain int", int(p.ID)},
			{"int32", int32(p.ID)},
			{"uint8", uint8(p.ID)},
		}
		for _, tc := range found {
			got, err := r.Get(ctx, tc.key)
			if err != nil {
				t.Errorf("Get(%s %v): %v", tc.name, tc.key, err)
				continue
			}
			if got.ID != p.ID || got.Name != "Ada" {
				t.Errorf("Get(%s %v): got %+v, want the row %d named Ada", tc.name, tc.key, *got, p.ID)
			}
		}

		_, err := r.Get(ctx, p.ID+1000)
		wantErr(t, "Get of a missing key", err, repo.ErrNotFound)

		bad := []struct {
			name string
			key  []any
		}{
			{"no key", nil},
			{"two values for one key column", []any{p.ID, p.ID}},
			{"string for an integer key", []any{"1"}},
			{"float for an integer key", []any{1.0}},
			{"nil", []any{nil}},
		}
		for _, tc := range bad {
			got, err := r.Get(ctx, tc.key...)
			wantErr(t, "Get with "+tc.name, err, repo.ErrNoKey)
			if got != nil {
				t.Errorf("Get with %s: got row %+v, want nil", tc.name, *got)
			}
		}
	})
}

func TestUpdateWholeRow(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		p := &person{Name: "Ada", Email: "ada@example.com", Age: 36, Nick: ptr("ada")}
		other := &person{Name: "Bob", Email: "bob@example.com", Age: 50}
		insertAll(t, r, p, other)

		p.Name, p.Email, p.Age, p.Nick = "Ada Lovelace", "lovelace@example.com", 0, nil
		if err := r.Update(ctx, p); err != nil {
			t.Fatalf("Update: %v", err)
		}
		got, err := r.Get(ctx, p.ID)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if got.Name != p.Name || got.Email != p.Email || got.Age != 0 || got.Nick != nil {
			t.Errorf("after Update: got %+v (nick %v), want %+v with a nil nick", *got, got.Nick, *p)
		}
		gotOther, err := r.Get(ctx, other.ID)
		if err != nil {
			t.Fatalf("Get other: %v", err)
		}
		if *gotOther != *other {
			t.Errorf("Update touched another row: got %+v, want %+v", *gotOther, *other)
		}
	})
}

func TestUpdateChosenColumnsWritesZeroValues(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		p := &person{Name: "Ada", Email: "ada@example.com", Age: 36, Nick: ptr("countess")}
		insertAll(t, r, p)

		// Change every field in memory, but write only name and age, both
		// to their zero values.
		changed := &person{ID: p.ID, Name: "", Email: "other@example.com", Age: 0, Nick: ptr("changed")}
		if err := r.Update(ctx, changed, people.Name, people.Age); err != nil {
			t.Fatalf("Update(name, age): %v", err)
		}
		got, err := r.Get(ctx, p.ID)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if got.Name != "" {
			t.Errorf("name: got %q, want the written zero value \"\"", got.Name)
		}
		if got.Age != 0 {
			t.Errorf("age: got %d, want the written zero value 0", got.Age)
		}
		if got.Email != "ada@example.com" {
			t.Errorf("email (not chosen): got %q, want it untouched, %q", got.Email, "ada@example.com")
		}
		if got.Nick == nil || *got.Nick != "countess" {
			t.Errorf("nick (not chosen): got %v, want it untouched, \"countess\"", got.Nick)
		}

		// A nullable column set to nil is written as NULL.
		changed.Nick = nil
		if err := r.Update(ctx, changed, people.Nick); err != nil {
			t.Fatalf("Update(nick): %v", err)
		}
		got, err = r.Get(ctx, p.ID)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if got.Nick != nil {
			t.Errorf("nick after Update to nil: got %q, want NULL", *got.Nick)
		}
		if got.Email != "ada@example.com" {
			t.Errorf("email after second Update: got %q, want %q", got.Email, "ada@example.com")
		}

		// The key cannot be chosen.
		err = r.Update(ctx, changed, people.ID)
		if err == nil {
			t.Errorf("Update(id): got no error, want a refusal to update the key")
		}
	})
}

func TestUpdateDeleteMissingRow(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		kept := &person{Name: "Kept", Email: "kept@example.com"}
		insertAll(t, r, kept)

		ghost := &person{ID: kept.ID + 100, Name: "Ghost", Email: "ghost@example.com"}
		wantErr(t, "Update of a missing key", r.Update(ctx, ghost), repo.ErrNotFound)
		wantErr(t, "Update of chosen columns of a missing key", r.Update(ctx, ghost, people.Name), repo.ErrNotFound)
		wantErr(t, "Delete of a missing key", r.Delete(ctx, ghost), repo.ErrNotFound)

		zero := &person{Name: "Zero", Email: "zero@example.com"}
		wantErr(t, "Update with a zero key", r.Update(ctx, zero), repo.ErrNoKey)
		wantErr(t, "Delete with a zero key", r.Delete(ctx, zero), repo.ErrNoKey)

		if n := count(t, r); n != 1 {
			t.Errorf("rows after failed updates and deletes: got %d, want 1", n)
		}

		// Deleting the stored row works once, then reports ErrNotFound.
		if err := r.Delete(ctx, kept); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		wantErr(t, "second Delete", r.Delete(ctx, kept), repo.ErrNotFound)
		_, err := r.Get(ctx, kept.ID)
		wantErr(t, "Get after Delete", err, repo.ErrNotFound)
	})
}

func TestNilRow(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		cases := []struct {
			name string
			run  func() error
		}{
			{"Insert", func() error { return r.Insert(ctx, nil) }},
			{"InsertMany", func() error {
				return r.InsertMany(ctx, []*person{{Name: "a", Email: "a@example.com"}, nil})
			}},
			{"Update", func() error { return r.Update(ctx, nil) }},
			{"Update of chosen columns", func() error { return r.Update(ctx, nil, people.Name) }},
			{"Delete", func() error { return r.Delete(ctx, nil) }},
			{"Upsert", func() error { return r.Upsert(ctx, nil) }},
			{"Upsert on a unique column", func() error { return r.Upsert(ctx, nil, people.Email) }},
		}
		for _, tc := range cases {
			wantErr(t, tc.name+"(nil)", tc.run(), repo.ErrNilRow)
		}
		if n := count(t, r); n != 0 {
			t.Errorf("rows after nil-row calls: got %d, want 0", n)
		}
	})
}

func TestUpdateWhereDeleteWhere(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		insertAll(t, r,
			&person{Name: "a", Email: "a@example.com", Age: 10},
			&person{Name: "b", Email: "b@example.com", Age: 20},
			&person{Name: "c", Email: "c@example.com", Age: 30},
			&person{Name: "d", Email: "d@example.com", Age: 40},
		)

		n, err := r.UpdateWhere(ctx, people.Age.Ge(30), people.Name.Set("old"), people.Age.Set(99))
		if err != nil || n != 2 {
			t.Fatalf("UpdateWhere(age >= 30): got %d, %v; want 2, nil", n, err)
		}
		old, err := r.Where(people.Name.Eq("old")).OrderBy(people.Email.Asc()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(old); got != 2 || old[0].Email != "c@example.com" || old[1].Age != 99 {
			t.Errorf("rows after UpdateWhere: got %d rows %v, want c and d aged 99", got, namesOf(old))
		}

		n, err = r.UpdateWhere(ctx, people.Age.Gt(1000), people.Name.Set("none"))
		if err != nil || n != 0 {
			t.Errorf("UpdateWhere matching nothing: got %d, %v; want 0, nil", n, err)
		}
		n, err = r.UpdateWhere(ctx, people.Age.In(), people.Name.Set("none"))
		if err != nil || n != 0 {
			t.Errorf("UpdateWhere(empty In): got %d, %v; want 0, nil", n, err)
		}

		refused := []struct {
			name string
			cond query.Cond[person]
		}{
			{"the zero Cond", query.Cond[person]{}},
			{"And of nothing", query.And[person]()},
			{"Not of the zero Cond", query.Not(query.Cond[person]{})},
		}
		for _, tc := range refused {
			n, err := r.UpdateWhere(ctx, tc.cond, people.Name.Set("everyone"))
			wantErr(t, "UpdateWhere with "+tc.name, err, repo.ErrNoCondition)
			if n != 0 {
				t.Errorf("UpdateWhere with %s: got %d rows, want 0", tc.name, n)
			}
			n, err = r.DeleteWhere(ctx, tc.cond)
			wantErr(t, "DeleteWhere with "+tc.name, err, repo.ErrNoCondition)
			if n != 0 {
				t.Errorf("DeleteWhere with %s: got %d rows, want 0", tc.name, n)
			}
		}
		if n, err := r.Where(people.Name.Eq("everyone")).Count(ctx); err != nil || n != 0 {
			t.Errorf("rows renamed by refused UpdateWhere: got %d, %v; want 0", n, err)
		}
		if got := count(t, r); got != 4 {
			t.Errorf("rows after refused DeleteWhere: got %d, want 4", got)
		}

		n, err = r.UpdateWhere(ctx, query.AllRows[person](), people.Age.Set(1))
		if err != nil || n != 4 {
			t.Errorf("UpdateWhere(AllRows): got %d, %v; want 4, nil", n, err)
		}
		if n, err := r.Where(people.Age.Eq(1)).Count(ctx); err != nil || n != 4 {
			t.Errorf("rows aged 1 after UpdateWhere(AllRows): got %d, %v; want 4", n, err)
		}

		n, err = r.DeleteWhere(ctx, people.Name.Eq("old"))
		if err != nil || n != 2 {
			t.Errorf("DeleteWhere(name = old): got %d, %v; want 2, nil", n, err)
		}
		n, err = r.DeleteWhere(ctx, people.Name.Eq("nobody"))
		if err != nil || n != 0 {
			t.Errorf("DeleteWhere matching nothing: got %d, %v; want 0, nil", n, err)
		}
		n, err = r.DeleteWhere(ctx, query.AllRows[person]())
		if err != nil || n != 2 {
			t.Errorf("DeleteWhere(AllRows): got %d, %v; want 2, nil", n, err)
		}
		if got := count(t, r); got != 0 {
			t.Errorf("rows after DeleteWhere(AllRows): got %d, want 0", got)
		}
	})
}

// composite has a two-column key that the caller supplies.
type membership struct {
	Group  string
	Member int64
	Role   string
}

var memberships = mapped.Define("membership", func(t *mapped.Table[membership], m *membership) struct {
	*mapped.Table[membership]
	Role mapped.TextColumn[membership, string]
} {
	mapped.PrimaryKey(t, &m.Group, mapped.Name("grp"))
	mapped.PrimaryKey(t, &m.Member)
	return struct {
		*mapped.Table[membership]
		Role mapped.TextColumn[membership, string]
	}{t, mapped.Text(t, &m.Role)}
})

func TestCompositeKey(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, memberships.Table)
		r := repo.New(db, memberships.Table)
		insertAll(t, r,
			&membership{Group: "admins", Member: 1, Role: "owner"},
			&membership{Group: "admins", Member: 2, Role: "member"},
			&membership{Group: "users", Member: 1, Role: "member"},
		)
		got, err := r.Get(ctx, "admins", 2)
		if err != nil || got.Role != "member" {
			t.Fatalf("Get(admins, 2): got %+v, %v; want role member", got, err)
		}
		_, err = r.Get(ctx, "admins")
		wantErr(t, "Get with half a composite key", err, repo.ErrNoKey)
		_, err = r.Get(ctx, 2, "admins")
		wantErr(t, "Get with a composite key in the wrong order", err, repo.ErrNoKey)
		_, err = r.Get(ctx, "users", 2)
		wantErr(t, "Get of a missing composite key", err, repo.ErrNotFound)

		if err := r.Update(ctx, &membership{Group: "users", Member: 1, Role: "banned"}); err != nil {
			t.Fatalf("Update: %v", err)
		}
		got, err = r.Get(ctx, "users", 1)
		if err != nil || got.Role != "banned" {
			t.Errorf("after Update: got %+v, %v; want role banned", got, err)
		}
		got, err = r.Get(ctx, "admins", 1)
		if err != nil || got.Role != "owner" {
			t.Errorf("Update touched (admins, 1): got %+v, %v; want role owner", got, err)
		}
		wantErr(t, "Update with half a zero key", r.Update(ctx, &membership{Group: "admins", Role: "x"}), repo.ErrNoKey)
		if err := r.Delete(ctx, &membership{Group: "admins", Member: 1}); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if n := count(t, r); n != 2 {
			t.Errorf("rows after Delete: got %d, want 2", n)
		}
	})
}
