package uow_test

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/internal/checks"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// Mistakes at a call site — no database, the zero Unit, a nil unit or
// table — are errors naming the call, never panics.
func TestUnusableUnit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.SQLite(t)
	checks.Refuses(t, "Run(ctx, nil, …)", "uow: begin", func() error {
		return uow.Run(ctx, nil, func(*uow.Unit) error { return nil })
	})
	checks.Refuses(t, "Run(ctx, db, nil)", "uow: run", func() error { return uow.Run(ctx, db, nil) })
	checks.Refuses(t, "Begin(ctx, nil)", "uow: begin", func() error { _, err := uow.Begin(ctx, nil); return err })

	var zero uow.Unit
	var nilUnit *uow.Unit
	row := &label{ID: 1, Name: "x"}
	for name, u := range map[string]*uow.Unit{"zero Unit": &zero, "nil *Unit": nilUnit} {
		checks.Refuses(t, name+": Get", "uow: get", func() error { _, err := uow.Get(ctx, u, labels.Table, 1); return err })
		checks.Refuses(t, name+": Find", "uow: find", func() error {
			_, err := uow.Find(ctx, u, repo.New(db, labels.Table).Query())
			return err
		})
		checks.Refuses(t, name+": Add", "uow: add", func() error { return uow.Add(u, labels.Table, row) })
		checks.Refuses(t, name+": Delete", "uow: delete", func() error { return uow.Delete(u, labels.Table, row) })
		checks.Refuses(t, name+": Flush", "uow: flush", func() error { return u.Flush(ctx) })
		checks.Refuses(t, name+": Plan", "uow: plan", func() error { _, err := u.Plan(); return err })
		checks.Refuses(t, name+": Commit", "uow: commit", func() error { return u.Commit(ctx) })
		checks.Refuses(t, name+": Rollback", "uow: rollback", func() error { return u.Rollback(ctx) })
		checks.Refuses(t, name+": Nested", "uow: nested", func() error { return u.Nested(ctx, func(*uow.Unit) error { return nil }) })
		if tx := u.Tx(); tx != nil {
			t.Errorf("%s: Tx() = %v, want nil", name, tx)
		}
	}

	if err := mapped.CreateAll(ctx, db, labels.Table); err != nil {
		t.Fatal(err)
	}
	u := begin(t, db)
	checks.Refuses(t, "Add with a nil table", "uow: add: nil table", func() error { return uow.Add(u, nil, row) })
	checks.Refuses(t, "Delete with a nil table", "uow: delete: nil table", func() error { return uow.Delete(u, nil, row) })
	checks.Refuses(t, "Get with a nil table", "uow: get: nil table", func() error { _, err := uow.Get[label](ctx, u, nil, 1); return err })
	checks.Refuses(t, "Find with a nil query", "uow: find: nil query", func() error { _, err := uow.Find[label](ctx, u, nil); return err })
	// The unit is still usable: nothing above touched it.
	if err := uow.Add(u, labels.Table, &label{Name: "ok"}); err != nil {
		t.Fatalf("Add after the refused calls: %v", err)
	}
	if err := u.Commit(ctx); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}
