package uow_test

import (
	"context"
	"errors"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/uow"
)

// A nested unit that fails rolls back to its savepoint and puts the unit's
// tracking back: the outer work stays and is committed, nothing of the
// inner work is, and the restored rows cost no statement at the next
// flush.
func TestNestedRollback(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		seed(t, db, artists.Table, &artist{Name: "Queen", Rating: 5, Born: born},
			&artist{Name: "Solo", Born: born}, &artist{Name: "Other", Born: born})
		u := begin(t, db)
		queen, err := uow.Get(ctx, u, artists.Table, 1)
		if err != nil {
			t.Fatal(err)
		}
		solo, err := uow.Get(ctx, u, artists.Table, 2)
		if err != nil {
			t.Fatal(err)
		}
		outer := &artist{Name: "Outer", Born: born}
		if err := uow.Add(u, artists.Table, outer); err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		var inner *artist
		var other *artist
		lab := &label{Name: "inner"}
		err = u.Nested(ctx, func(u *uow.Unit) error {
			queen.Rating = 1
			inner = &artist{Name: "Inner", Born: born}
			if err := uow.Add(u, artists.Table, inner); err != nil {
				return err
			}
			if err := uow.Add(u, labels.Table, lab); err != nil { // a table new to the unit
				return err
			}
			if err := uow.Delete(u, artists.Table, solo); err != nil {
				return err
			}
			var err error
			if other, err = uow.Get(ctx, u, artists.Table, 3); err != nil {
				return err
			}
			if err := u.Flush(ctx); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Nested: got %v, want boom", err)
		}
		if outer.ID == 0 {
			t.Error("the outer row, flushed before the savepoint, lost its key")
		}
		if inner.ID != 0 || lab.ID != 0 {
			t.Errorf("keys of rows added inside: artist %d, label %d; want 0, 0", inner.ID, lab.ID)
		}
		if queen.Rating != 5 {
			t.Errorf("queen's rating %d after the rollback, want 5 again", queen.Rating)
		}
		got, err := uow.Get(ctx, u, artists.Table, 2)
		if err != nil || got != solo {
			t.Errorf("Get of the row deleted inside: %p, %v; want the same row %p", got, err, solo)
		}
		got, err = uow.Get(ctx, u, artists.Table, 3)
		if err != nil || got == other {
			t.Errorf("Get of the row loaded inside: %p, %v; want a new row, not %p", got, err, other)
		}
		rec.reset()
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if w := rec.writes(); len(w) != 0 {
			t.Errorf("flush after the rollback wrote %d statements, want none", len(w))
		}
		if err := u.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, artists.Table); n != 4 {
			t.Errorf("%d artists stored, want 4 (three seeded and Outer)", n)
		}
		if n := count(t, db, labels.Table); n != 0 {
			t.Errorf("%d labels stored, want 0", n)
		}
		if r := stored(t, db, artists.Table, 1).Rating; r != 5 {
			t.Errorf("stored rating %d, want 5", r)
		}
	})
}

// A nested unit that succeeds keeps its work in the outer unit, which
// commits or rolls back all of it; a failing unit nested in it undoes
// only its own work.
func TestNestedCommit(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		boom := errors.New("boom")
		for _, commit := range []bool{true, false} {
			if _, err := db.Exec(ctx, `DELETE FROM "label"`); err != nil {
				t.Fatal(err)
			}
			u := begin(t, db)
			err := u.Nested(ctx, func(u *uow.Unit) error {
				if err := uow.Add(u, labels.Table, &label{Name: "middle"}); err != nil {
					return err
				}
				err := u.Nested(ctx, func(u *uow.Unit) error {
					if err := uow.Add(u, labels.Table, &label{Name: "inner"}); err != nil {
						return err
					}
					return boom
				})
				if !errors.Is(err, boom) {
					t.Errorf("inner Nested: got %v, want boom", err)
				}
				return uow.Add(u, labels.Table, &label{Name: "after"})
			})
			if err != nil {
				t.Fatalf("Nested: %v", err)
			}
			end := u.Rollback
			want := int64(0)
			if commit {
				end, want = u.Commit, 2
			}
			if err := end(ctx); err != nil {
				t.Fatal(err)
			}
			if n := count(t, db, labels.Table); n != want {
				t.Errorf("commit=%v: %d labels stored, want %d", commit, n, want)
			}
		}
	})
}

// A flush failing inside a nested unit fails only the nested unit: the
// error is typed, and the outer unit stays usable and commits its work.
func TestNestedFailedFlush(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		u := begin(t, db)
		if err := uow.Add(u, artists.Table, &artist{Name: "Queen", Born: born}); err != nil {
			t.Fatal(err)
		}
		dup := &artist{Name: "Queen", Born: born}
		err := u.Nested(ctx, func(u *uow.Unit) error {
			return uow.Add(u, artists.Table, dup)
		})
		if !errors.Is(err, uow.ErrFailed) || !errors.Is(err, dialect.ErrUnique) {
			t.Errorf("Nested with a duplicate: got %v, want ErrFailed and ErrUnique", err)
		}
		if dup.ID != 0 {
			t.Errorf("key %d of the row that failed, want 0", dup.ID)
		}
		if err := uow.Add(u, artists.Table, &artist{Name: "Blur", Born: born}); err != nil {
			t.Fatalf("Add after the nested failure: %v", err)
		}
		if err := u.Commit(ctx); err != nil {
			t.Fatalf("Commit after the nested failure: %v", err)
		}
		if n := count(t, db, artists.Table); n != 2 {
			t.Errorf("%d artists stored, want 2", n)
		}
	})
}

// Inside a nested unit, Commit and Rollback are refused; a panic rolls
// back to the savepoint and is raised again, leaving the unit usable.
func TestNestedMisuse(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		u := begin(t, db)
		err := u.Nested(ctx, func(u *uow.Unit) error {
			if err := u.Commit(ctx); !errors.Is(err, uow.ErrNested) {
				t.Errorf("Commit inside: got %v, want ErrNested", err)
			}
			if err := u.Rollback(ctx); !errors.Is(err, uow.ErrNested) {
				t.Errorf("Rollback inside: got %v, want ErrNested", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		lab := &label{Name: "panic"}
		func() {
			defer func() {
				if p := recover(); p != "boom" {
					t.Errorf("recovered %v, want the panic raised again", p)
				}
			}()
			_ = u.Nested(ctx, func(u *uow.Unit) error {
				if err := uow.Add(u, labels.Table, lab); err != nil {
					return err
				}
				if err := u.Flush(ctx); err != nil {
					return err
				}
				panic("boom")
			})
		}()
		if lab.ID != 0 {
			t.Errorf("key %d of the row added before the panic, want 0", lab.ID)
		}
		if err := uow.Add(u, labels.Table, &label{Name: "after"}); err != nil {
			t.Fatal(err)
		}
		if err := u.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, labels.Table); n != 1 {
			t.Errorf("%d labels stored, want 1", n)
		}
	})
}
