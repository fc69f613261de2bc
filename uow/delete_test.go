package uow_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// category is a self-referential table whose nullable foreign key no
// relation declares: nothing cascades, so the database refuses to delete
// a parent before its child.
type category struct {
	ID       int64
	Name     string
	ParentID *int64
}

type categoryTable struct {
	*mapped.Table[category]
	ID       mapped.Column[category, int64]
	Name     mapped.TextColumn[category, string]
	ParentID mapped.NullableColumn[category, int64]
}

var categories = mapped.Define("category", func(t *mapped.Table[category], c *category) categoryTable {
	ct := categoryTable{Table: t, ID: mapped.PrimaryKey(t, &c.ID), Name: mapped.Text(t, &c.Name)}
	ct.ParentID = mapped.NullableForeignKey(t, &c.ParentID, ct.ID)
	return ct
})

// A loaded row whose key was changed in memory and then deleted is
// refused at the flush, before anything is sent: deleting by the changed
// key would delete another row. Put back, the key deletes the row loaded.
func TestDeleteAfterKeyChange(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		seed(t, db, artists.Table, &artist{Name: "One", Born: born}, &artist{Name: "Two", Born: born})
		u := begin(t, db)
		one, err := uow.Get(ctx, u, artists.Table, 1)
		if err != nil {
			t.Fatal(err)
		}
		one.ID = 2
		if err := uow.Delete(u, artists.Table, one); err != nil {
			t.Fatal(err)
		}
		rec.reset()
		err = u.Flush(ctx)
		if err == nil || errors.Is(err, uow.ErrFailed) || !strings.Contains(err.Error(), "key column id") {
			t.Fatalf("Flush deleting a row whose key changed = %v, want a refusal naming the key column, the unit usable", err)
		}
		if w := rec.writes(); len(w) != 0 {
			t.Errorf("the refused flush sent %d writes", len(w))
		}
		one.ID = 1
		if err := u.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := repo.New(db, artists.Table).Get(ctx, 1); !errors.Is(err, repo.ErrNotFound) {
			t.Errorf("artist 1, deleted: Get = %v, want ErrNotFound", err)
		}
		if got := stored(t, db, artists.Table, 2); got.Name != "Two" {
			t.Errorf("artist 2 = %+v, want it untouched", got)
		}
	})
}

// Delete takes any row with a key: one with the key of a row the unit
// holds deletes that row, which leaves the identity map; one the unit
// does not hold is deleted by its key; one with a zero key is refused at
// once with ErrNoKey; one a flush already deleted is left alone.
func TestDeleteByKey(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		seed(t, db, artists.Table, &artist{Name: "One", Born: born}, &artist{Name: "Two", Born: born},
			&artist{Name: "Three", Born: born})
		u := begin(t, db)
		one, err := uow.Get(ctx, u, artists.Table, 1)
		if err != nil {
			t.Fatal(err)
		}
		if err := uow.Delete(u, artists.Table, &artist{ID: 1}); err != nil {
			t.Fatal(err)
		}
		if err := uow.Delete(u, artists.Table, &artist{ID: 2}); err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{1, 2} {
			if got, err := uow.Get(ctx, u, artists.Table, id); !errors.Is(err, repo.ErrNotFound) {
				t.Errorf("before the flush, Get(%d) of a deleted key = %p, %v; want ErrNotFound", id, got, err)
			}
		}
		err = uow.Delete(u, artists.Table, &artist{Name: "never stored"})
		if !errors.Is(err, repo.ErrNoKey) || errors.Is(err, uow.ErrFailed) {
			t.Errorf("Delete of a row with a zero key = %v, want ErrNoKey, the unit usable", err)
		}
		rec.reset()
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if w := rec.writes(); len(w) != 2 {
			t.Errorf("the flush sent %d writes, want the 2 DELETEs", len(w))
		}
		for _, id := range []int64{1, 2} {
			if got, err := uow.Get(ctx, u, artists.Table, id); !errors.Is(err, repo.ErrNotFound) {
				t.Errorf("after the flush, Get(%d) of a deleted key = %p, %v; want ErrNotFound", id, got, err)
			}
		}
		// The row loaded before is out of the unit: changing it writes
		// nothing, and deleting it again does nothing.
		one.Rating = 3
		if err := uow.Delete(u, artists.Table, one); err != nil {
			t.Errorf("Delete of a row already deleted: %v", err)
		}
		rec.reset()
		if err := u.Commit(ctx); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		if w := rec.writes(); len(w) != 0 {
			t.Errorf("the last flush sent %d writes, want none", len(w))
		}
		if n := count(t, db, artists.Table); n != 1 {
			t.Errorf("%d artists stored, want 1", n)
		}
	})
}

// Rows of a self-referential table are deleted children first, whatever
// the order of the Delete calls, when the foreign key is nullable (bound
// as a pointer) and no cascade clears it first.
func TestDeleteSelfReferenceNullable(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		if err := mapped.CreateAll(ctx, db, categories.Table); err != nil {
			t.Fatal(err)
		}
		one, two := int64(1), int64(2)
		seed(t, db, categories.Table, &category{Name: "root"})
		seed(t, db, categories.Table, &category{Name: "kid", ParentID: &one})
		seed(t, db, categories.Table, &category{Name: "grandkid", ParentID: &two})
		u := begin(t, db)
		rows, err := uow.Find(ctx, u, repo.New(db, categories.Table).OrderBy(categories.ID.Asc()))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows { // parents first
			if err := uow.Delete(u, categories.Table, r); err != nil {
				t.Fatal(err)
			}
		}
		if err := u.Commit(ctx); err != nil {
			t.Fatalf("Commit deleting a chain of parents and children: %v", err)
		}
		if n := count(t, db, categories.Table); n != 0 {
			t.Errorf("%d rows left, want 0", n)
		}
	})
}

// A row added and then deleted before a flush is never written, even
// when the collection of a new parent that a followed relation walks
// still holds it.
func TestDeleteAddedInCollection(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		if err := testModel.CreateAll(ctx, db, bands.Table, records.Table, tunes.Table); err != nil {
			t.Fatal(err)
		}
		r := &record{Title: "drop me"}
		if err := uow.Run(ctx, db, func(u *uow.Unit) error {
			if err := uow.Add(u, bands.Table, &band{Name: "B", Records: []*record{r, {Title: "keep me"}}}); err != nil {
				return err
			}
			if err := uow.Add(u, records.Table, r); err != nil {
				return err
			}
			return uow.Delete(u, records.Table, r)
		}); err != nil {
			t.Fatal(err)
		}
		got, err := repo.New(db, records.Table).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Title != "keep me" {
			t.Errorf("records stored: %+v, want only the one kept", got)
		}
		if r.ID != 0 {
			t.Errorf("the dropped record has key %d, want none", r.ID)
		}
	})
}

// Deleting a stored row the unit has not loaded by its key, then adding a
// new row with that key, replaces the stored row: the flush updates it to
// the new row's values, zero values included.
func TestDeleteByKeyThenReplace(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		plays := int64(9)
		seed(t, db, artists.Table, &artist{Name: "One", Rating: 5, Active: true, Born: born, Plays: &plays})
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			if err := uow.Delete(u, artists.Table, &artist{ID: 1}); err != nil {
				return err
			}
			return uow.Add(u, artists.Table, &artist{ID: 1, Name: "New", Born: born})
		})
		if err != nil {
			t.Fatal(err)
		}
		got := stored(t, db, artists.Table, 1)
		if got.Name != "New" || got.Rating != 0 || got.Active || got.Plays != nil {
			t.Errorf("stored after the replacement = {Name:%q Rating:%d Active:%v Plays:%v}, want the new row's {New 0 false <nil>}",
				got.Name, got.Rating, got.Active, got.Plays)
		}
	})
}
