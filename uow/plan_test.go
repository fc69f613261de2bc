package uow_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// Plan sends nothing and leaves the unit as it was, though making the
// plan schedules what following relations finds and releases orphans:
// the same plan twice, then a flush that sends it.
func TestPlanChangesNothing(t *testing.T) {
	t.Parallel()
	graph(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		boss := &staff{Name: "boss", Reports: []*staff{{Name: "r1"}, {Name: "r2"}}}
		if err := uow.Run(ctx, db, func(u *uow.Unit) error { return uow.Add(u, staffs.Table, boss) }); err != nil {
			t.Fatal(err)
		}
		u := begin(t, db)
		defer func() { _ = u.Rollback(ctx) }()
		got, err := uow.Find(ctx, u, repo.New(db, staffs.Table).Load(staffTeam).Where(staffs.ID.Eq(boss.ID)))
		if err != nil {
			t.Fatal(err)
		}
		loaded := got[0]
		r1 := loaded.Reports[0]
		// r1 is released (its boss_id set to NULL), a new report is
		// inserted with the boss's key.
		loaded.Reports = []*staff{loaded.Reports[1], {Name: "r3"}}
		rec.reset()
		first, err := u.Plan()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"INSERT staff new#1 (boss_id ← staff", "UPDATE staff", "set boss_id"} {
			if !strings.Contains(first, want) {
				t.Errorf("plan lacks %q:\n%s", want, first)
			}
		}
		if r1.BossID == nil || *r1.BossID != boss.ID {
			t.Errorf("Plan released r1 (boss_id %v); it must change nothing", r1.BossID)
		}
		if again, err := u.Plan(); err != nil || again != first {
			t.Errorf("second Plan: %v\n%s\nfirst:\n%s", err, again, first)
		}
		if evs := rec.events; len(evs) != 0 {
			t.Errorf("Plan sent %d statements", len(evs))
		}
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if r1.BossID != nil {
			t.Errorf("Flush left r1's boss_id %d", *r1.BossID)
		}
		if len(rec.writes()) != 2 {
			t.Errorf("Flush wrote %v, want the INSERT and the UPDATE the plan names", rec.writes())
		}
		if after, err := u.Plan(); err != nil || after != "" {
			t.Errorf("Plan after Flush: %v %q, want nothing to send", err, after)
		}
		if err := u.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if s := stored(t, db, staffs.Table, r1.ID); s.BossID != nil {
			t.Errorf("stored r1 keeps boss_id %d", *s.BossID)
		}
	})
}

// A plan Flush would refuse is refused by Plan with Flush's error, and the
// unit stays usable.
func TestPlanRefuses(t *testing.T) {
	t.Parallel()
	graph(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		u := begin(t, db)
		defer func() { _ = u.Rollback(ctx) }()
		a, b := &staff{Name: "a"}, &staff{Name: "b"}
		a.Boss, b.Boss = b, a
		if err := uow.Add(u, staffs.Table, a); err != nil {
			t.Fatal(err)
		}
		_, perr := u.Plan()
		ferr := u.Flush(ctx)
		if perr == nil || ferr == nil || perr.Error() != ferr.Error() || !strings.Contains(perr.Error(), "cycle") {
			t.Fatalf("Plan: %v\nFlush: %v\nwant the same cycle refusal", perr, ferr)
		}
		if errors.Is(perr, uow.ErrFailed) {
			t.Errorf("Plan failed the unit: %v", perr)
		}
		b.Boss = nil
		text, err := u.Plan()
		if err != nil || text != "1. INSERT staff new#2\n2. INSERT staff new#1 (boss_id ← staff new#2)\n" {
			t.Errorf("Plan once the cycle is broken: %v\n%s", err, text)
		}
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
