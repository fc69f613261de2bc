package uow_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// statementTables returns the tables of the statements of kind kw ("INSERT
// INTO ", "DELETE FROM ") among sqls, in order.
func statementTables(sqls []string, kw string) []string {
	var out []string
	for _, s := range sqls {
		if len(s) >= len(kw) && s[:len(kw)] == kw {
			out = append(out, table(s))
		}
	}
	return out
}

// New rows go in at flush, one multi-row INSERT per table, parents'
// tables first whatever the order they were added in.
func TestAddInForeignKeyOrder(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		u := begin(t, db)
		t1 := &track{ArtistID: 10, Title: "Midnight City"}
		t2 := &track{ArtistID: 10, Title: "Wait"}
		a := &artist{ID: 10, Name: "M83", Born: born}
		for _, tr := range []*track{t1, t2} {
			if err := uow.Add(u, tracks.Table, tr); err != nil {
				t.Fatal(err)
			}
		}
		if err := uow.Add(u, artists.Table, a); err != nil {
			t.Fatal(err)
		}
		if err := uow.Add(u, tracks.Table, t1); err != nil { // twice: once only
			t.Fatal(err)
		}
		rec.reset()
		if err := u.Commit(ctx); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		if got, want := statementTables(rec.statements(), "INSERT INTO "), []string{"artist", "track"}; !slices.Equal(got, want) {
			t.Errorf("inserts into %q, want %q", got, want)
		}
		if t1.ID == 0 || t2.ID == 0 || t1.ID == t2.ID {
			t.Errorf("generated keys %d, %d, want two distinct keys", t1.ID, t2.ID)
		}
		if n := count(t, db, tracks.Table); n != 2 {
			t.Errorf("%d tracks stored, want 2", n)
		}
	})
}

// Table by table, referenced tables first, a flush sends each table's
// UPDATEs before its INSERTs, as SQLAlchemy does: a stored row renamed
// away from a unique name leaves it to a new row, and a stored track
// moved by hand to a new artist (whose key is set by hand too) finds the
// artist inserted.
func TestUpdateBeforeInsert(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		seed(t, db, artists.Table, &artist{Name: "Queen", Born: born})
		seed(t, db, tracks.Table, &track{ArtistID: 1, Title: "Bohemian Rhapsody"})
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			old, err := uow.Get(ctx, u, artists.Table, 1)
			if err != nil {
				return err
			}
			old.Name = "Queen (1970)"
			if err := uow.Add(u, artists.Table, &artist{ID: 10, Name: "Queen", Born: born}); err != nil {
				return err
			}
			tr, err := uow.Get(ctx, u, tracks.Table, 1)
			if err != nil {
				return err
			}
			tr.ArtistID = 10
			rec.reset()
			return nil
		})
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		if got, want := writeOps(rec), "UPDATE artist,INSERT artist,UPDATE track"; got != want {
			t.Errorf("writes %s, want %s", got, want)
		}
		if got := stored(t, db, artists.Table, 10); got.Name != "Queen" {
			t.Errorf("artist 10 = %+v, want the new Queen", got)
		}
		if got := stored(t, db, tracks.Table, 1); got.ArtistID != 10 {
			t.Errorf("track 1 = %+v, want it moved to artist 10", got)
		}
	})
}

// Deletes run children's tables first; a row added and deleted in the
// same unit is never written, and adding a deleted row takes the delete
// back.
func TestDeleteOrder(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		seed(t, db, artists.Table, &artist{Name: "Queen", Born: born}, &artist{Name: "Kept", Born: born})
		seed(t, db, tracks.Table, &track{ArtistID: 1, Title: "Bohemian Rhapsody"}, &track{ArtistID: 2, Title: "Kept"})
		u := begin(t, db)
		a, err := uow.Get(ctx, u, artists.Table, 1)
		if err != nil {
			t.Fatal(err)
		}
		ts, err := uow.Find(ctx, u, repo.New(db, tracks.Table).Where(tracks.ArtistID.Eq(1)))
		if err != nil || len(ts) != 1 {
			t.Fatalf("Find = %d tracks, %v; want 1", len(ts), err)
		}
		if err := uow.Delete(u, artists.Table, a); err != nil {
			t.Fatal(err)
		}
		if err := uow.Delete(u, tracks.Table, ts[0]); err != nil {
			t.Fatal(err)
		}
		kept, err := uow.Get(ctx, u, artists.Table, 2)
		if err != nil {
			t.Fatal(err)
		}
		if err := uow.Delete(u, artists.Table, kept); err != nil {
			t.Fatal(err)
		}
		if err := uow.Add(u, artists.Table, kept); err != nil { // takes the Delete back
			t.Fatal(err)
		}
		ghost := &artist{Name: "Ghost", Born: born}
		if err := uow.Add(u, artists.Table, ghost); err != nil {
			t.Fatal(err)
		}
		if err := uow.Delete(u, artists.Table, ghost); err != nil {
			t.Fatal(err)
		}
		if _, err := uow.Get(ctx, u, artists.Table, 1); !errors.Is(err, repo.ErrNotFound) {
			t.Errorf("Get of a row deleted in the unit = %v, want ErrNotFound", err)
		}
		rec.reset()
		if err := u.Commit(ctx); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		sqls := rec.statements()
		if got, want := statementTables(sqls, "DELETE FROM "), []string{"track", "artist"}; !slices.Equal(got, want) {
			t.Errorf("deletes from %q, want %q", got, want)
		}
		if got := statementTables(sqls, "INSERT INTO "); len(got) != 0 {
			t.Errorf("inserts into %q, want none", got)
		}
		if ghost.ID != 0 {
			t.Errorf("ghost has key %d, want none", ghost.ID)
		}
		if na, nt := count(t, db, artists.Table), count(t, db, tracks.Table); na != 1 || nt != 1 {
			t.Errorf("%d artists and %d tracks stored, want 1 and 1", na, nt)
		}
	})
}

// After Rollback nothing of the unit is stored, keys it generated are
// cleared, it refuses work, and a new unit loads fresh rows.
func TestRollbackState(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		seed(t, db, artists.Table, &artist{Name: "Queen", Born: born})
		u := begin(t, db)
		a, err := uow.Get(ctx, u, artists.Table, 1)
		if err != nil {
			t.Fatal(err)
		}
		a.Name = "Changed"
		added := &artist{Name: "New", Born: born}
		if err := uow.Add(u, artists.Table, added); err != nil {
			t.Fatal(err)
		}
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if added.ID == 0 {
			t.Fatal("flush generated no key")
		}
		if err := u.Rollback(ctx); err != nil {
			t.Fatalf("Rollback: %v", err)
		}
		if added.ID != 0 {
			t.Errorf("key of a rolled-back insert = %d, want 0", added.ID)
		}
		if _, err := uow.Get(ctx, u, artists.Table, 1); !errors.Is(err, uow.ErrDone) {
			t.Errorf("Get after Rollback = %v, want ErrDone", err)
		}
		for name, err := range map[string]error{
			"Add":      uow.Add(u, artists.Table, &artist{}),
			"Flush":    u.Flush(ctx),
			"Commit":   u.Commit(ctx),
			"Rollback": u.Rollback(ctx),
		} {
			if !errors.Is(err, uow.ErrDone) {
				t.Errorf("%s after Rollback = %v, want ErrDone", name, err)
			}
		}
		if n := count(t, db, artists.Table); n != 1 {
			t.Errorf("%d artists stored, want 1", n)
		}
		u2 := begin(t, db)
		fresh, err := uow.Get(ctx, u2, artists.Table, 1)
		if err != nil || fresh == a || fresh.Name != "Queen" {
			t.Errorf("Get in a new unit = %p %+v, %v; want a new row named Queen", fresh, fresh, err)
		}
	})
}

// Run commits when fn returns nil and rolls back on an error or a panic,
// raising the panic again.
func TestRun(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		errStop := errors.New("stop")
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			if err := uow.Add(u, labels.Table, &label{Name: "kept"}); err != nil {
				return err
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		err = uow.Run(ctx, db, func(u *uow.Unit) error {
			if err := uow.Add(u, labels.Table, &label{Name: "error"}); err != nil {
				return err
			}
			if err := u.Flush(ctx); err != nil {
				return err
			}
			return errStop
		})
		if !errors.Is(err, errStop) {
			t.Errorf("Run = %v, want fn's error", err)
		}
		func() {
			defer func() {
				if p := recover(); p != "boom" {
					t.Errorf("recovered %v, want the panic boom", p)
				}
			}()
			_ = uow.Run(ctx, db, func(u *uow.Unit) error {
				if err := uow.Add(u, labels.Table, &label{Name: "panic"}); err != nil {
					return err
				}
				if err := u.Flush(ctx); err != nil {
					return err
				}
				panic("boom")
			})
			t.Error("Run returned after a panic")
		}()
		// A function that commits the unit itself: Run reports success.
		err = uow.Run(ctx, db, func(u *uow.Unit) error {
			if err := uow.Add(u, labels.Table, &label{Name: "self-committed"}); err != nil {
				return err
			}
			return u.Commit(ctx)
		})
		if err != nil {
			t.Errorf("Run of a function that committed the unit = %v, want nil", err)
		}
		// One that rolls it back and returns nil: Run says so.
		err = uow.Run(ctx, db, func(u *uow.Unit) error {
			if err := uow.Add(u, labels.Table, &label{Name: "self-rolled-back"}); err != nil {
				return err
			}
			return u.Rollback(ctx)
		})
		if !errors.Is(err, uow.ErrDone) {
			t.Errorf("Run of a function that rolled the unit back = %v, want ErrDone", err)
		}
		all, err := repo.New(db, labels.Table).OrderBy(labels.ID.Asc()).All(ctx)
		if err != nil || len(all) != 2 || all[0].Name != "kept" || all[1].Name != "self-committed" {
			t.Errorf("stored labels = %v, %v; want kept and self-committed", all, err)
		}
	})
}

// A row updated to reference a new row of its own table whose key was set
// by hand finds it inserted, as it did before UPDATEs went before INSERTs.
func TestUpdateBeforeInsertSelfReference(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		if err := mapped.CreateAll(ctx, db, categories.Table); err != nil {
			t.Fatal(err)
		}
		seed(t, db, categories.Table, &category{Name: "child"})
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			c, err := uow.Get(ctx, u, categories.Table, 1)
			if err != nil {
				return err
			}
			if err := uow.Add(u, categories.Table, &category{ID: 10, Name: "parent"}); err != nil {
				return err
			}
			ten := int64(10)
			c.ParentID = &ten
			rec.reset()
			return nil
		})
		if err != nil {
			t.Fatalf("update to reference a new row of the same table (key set by hand) = %v (writes %s); want the INSERT first",
				err, writeOps(rec))
		}
	})
}
