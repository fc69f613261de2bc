package uow_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// TestManyRowsBaselines runs one unit over more rows than a table's
// records are allocated for at once, added and loaded in several steps,
// and changes them over several flushes: each flush writes exactly the
// rows changed since the one before, so no row's baseline shares memory
// with another's or with a superseded one.
func TestManyRowsBaselines(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		const n = 700
		seed(t, db, labels.Table, &label{ID: 1, Name: "seed"})
		u := begin(t, db)
		defer func() { _ = u.Rollback(ctx) }()
		loaded, err := uow.Find(ctx, u, repo.New(db, labels.Table).Where(labels.ID.Eq(1)))
		if err != nil || len(loaded) != 1 {
			t.Fatalf("Find: %d rows, %v", len(loaded), err)
		}
		rows := loaded
		for i := range n {
			r := &label{Name: fmt.Sprintf("l%d", i)}
			if err := uow.Add(u, labels.Table, r); err != nil {
				t.Fatal(err)
			}
			rows = append(rows, r)
			if i%300 == 299 {
				if err := u.Flush(ctx); err != nil { // inserts in steps
					t.Fatalf("Flush: %v", err)
				}
			}
		}
		if err := u.Flush(ctx); err != nil {
			t.Fatalf("Flush: %v", err)
		}
		for round, step := range []int{3, 7, 5} {
			want := 0
			for i, r := range rows {
				if i%step == round {
					r.Name = fmt.Sprintf("r%d-%d", round, i)
					want++
				}
			}
			rec.reset()
			if err := u.Flush(ctx); err != nil {
				t.Fatalf("round %d: Flush: %v", round, err)
			}
			if got := updates(rec); got != want {
				t.Errorf("round %d: %d UPDATEs, want %d", round, got, want)
			}
			rec.reset()
			if err := u.Flush(ctx); err != nil {
				t.Fatalf("round %d: second Flush: %v", round, err)
			}
			if got := updates(rec); got != 0 {
				t.Errorf("round %d: a flush with nothing changed sent %d UPDATEs", round, got)
			}
		}
		if err := u.Commit(ctx); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		for _, i := range []int{0, 1, 255, 256, 257, 299, 300, 512, n} {
			if got := stored(t, db, labels.Table, rows[i].ID); got.Name != rows[i].Name {
				t.Errorf("row %d stored as %q, want %q", i, got.Name, rows[i].Name)
			}
		}

		// All of them loaded by one Find, in a new unit.
		u = begin(t, db)
		all, err := uow.Find(ctx, u, repo.New(db, labels.Table).OrderBy(labels.ID.Asc()))
		if err != nil || len(all) != n+1 {
			t.Fatalf("Find: %d rows, %v", len(all), err)
		}
		want := 0
		for i, r := range all {
			if i%11 == 4 {
				r.Name += "+"
				want++
			}
		}
		rec.reset()
		if err := u.Commit(ctx); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		if got := updates(rec); got != want {
			t.Errorf("after one Find: %d UPDATEs, want %d", got, want)
		}
	})
}

// updates counts the UPDATE statements recorded since the last reset.
func updates(rec *recorder) int {
	n := 0
	for _, s := range rec.statements() {
		if strings.HasPrefix(s, "UPDATE ") {
			n++
		}
	}
	return n
}
