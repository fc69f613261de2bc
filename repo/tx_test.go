package repo_test

import (
	"context"
	"errors"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/repo"
)

func TestTransactions(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		kept := &person{Name: "kept", Email: "kept@example.com", Age: 1}
		insertAll(t, r, kept)

		// Rolled back: the transaction sees its rows, nobody else does,
		// and afterwards they are gone.
		tx, err := db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		viaNew := repo.New(tx, people.Table)
		viaWith := r.With(tx)
		a := &person{Name: "a", Email: "a@example.com"}
		if err := viaNew.Insert(ctx, a); err != nil {
			t.Fatalf("Insert in the transaction: %v", err)
		}
		b := &person{Name: "b", Email: "b@example.com"}
		if err := viaWith.Insert(ctx, b); err != nil {
			t.Fatalf("Insert through With: %v", err)
		}
		kept.Age = 2
		if err := viaWith.Update(ctx, kept, people.Age); err != nil {
			t.Fatalf("Update in the transaction: %v", err)
		}
		for _, tr := range []struct {
			name string
			r    *repo.Repo[person]
		}{{"New(tx)", viaNew}, {"With(tx)", viaWith}} {
			if got, err := tr.r.Get(ctx, a.ID); err != nil || got.Name != "a" {
				t.Errorf("%s: Get of an uncommitted row: got %v, %v; want a", tr.name, got, err)
			}
			if n, err := tr.r.Count(ctx); err != nil || n != 3 {
				t.Errorf("%s: Count in the transaction: got %d, %v; want 3", tr.name, n, err)
			}
			if got, err := tr.r.Get(ctx, kept.ID); err != nil || got.Age != 2 {
				t.Errorf("%s: uncommitted update: got %v, %v; want age 2", tr.name, got, err)
			}
		}
		if viaWith.Executor() != dialect.Executor(tx) || r.Executor() != dialect.Executor(db) {
			t.Errorf("With changed the executor of the wrong repository")
		}
		if err := tx.Rollback(ctx); err != nil {
			t.Fatalf("Rollback: %v", err)
		}
		if n := count(t, r); n != 1 {
			t.Errorf("rows after rollback: got %d, want 1", n)
		}
		_, err = r.Get(ctx, a.ID)
		wantErr(t, "Get of a rolled-back row", err, repo.ErrNotFound)
		if got, err := r.Get(ctx, kept.ID); err != nil || got.Age != 1 {
			t.Errorf("rolled-back update: got %v, %v; want age 1", got, err)
		}
		if err := viaWith.Insert(ctx, &person{Name: "late", Email: "late@example.com"}); err == nil {
			t.Errorf("Insert on a rolled-back transaction: got no error")
		}
		if err := tx.Rollback(ctx); !errors.Is(err, dialect.ErrTxDone) {
			t.Errorf("second Rollback: got %v, want ErrTxDone", err)
		}

		// Committed: the rows stay.
		tx, err = db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		c := &person{Name: "c", Email: "c@example.com"}
		if err := r.With(tx).Insert(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		if got, err := r.Get(ctx, c.ID); err != nil || got.Name != "c" {
			t.Errorf("Get of a committed row: got %v, %v; want c", got, err)
		}

		// dialect.InTx rolls back when the function fails.
		boom := errors.New("boom")
		err = dialect.InTx(ctx, db, func(ex dialect.Executor) error {
			if err := r.With(ex).Insert(ctx, &person{Name: "d", Email: "d@example.com"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Errorf("InTx: got %v, want boom", err)
		}
		if n := count(t, r); n != 2 {
			t.Errorf("rows after a failed InTx: got %d, want 2", n)
		}
	})
}

// TestTransactionIsolation checks that a row written in a transaction is
// invisible outside it until commit.
func TestTransactionIsolation(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		r := newPeople(t, db)
		tx, err := db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		p := &person{Name: "hidden", Email: "hidden@example.com"}
		if err := r.With(tx).Insert(ctx, p); err != nil {
			t.Fatal(err)
		}
		if ok, err := r.Where(people.Name.Eq("hidden")).Exists(ctx); err != nil || ok {
			t.Errorf("uncommitted row seen outside the transaction: got %v, %v; want false", ok, err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if ok, err := r.Where(people.Name.Eq("hidden")).Exists(ctx); err != nil || !ok {
			t.Errorf("committed row outside the transaction: got %v, %v; want true", ok, err)
		}
	})
}
