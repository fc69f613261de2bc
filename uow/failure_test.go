package uow_test

import (
	"context"
	"errors"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// A constraint violation at any statement of a flush leaves nothing
// committed, comes back typed, and the unit refuses work until Rollback.
func TestFailedFlush(t *testing.T) {
	t.Parallel()
	// The unit's flush runs: INSERT label, UPDATE artist 1, INSERT artist
	// (a table's UPDATEs go before its INSERTs), DELETE artist 2 (which a
	// track references). Each case makes one of them fail; the statements
	// before it succeed.
	cases := []struct {
		name string
		at   int // the statement that fails, from 1
		want error
	}{
		{"insert label", 1, dialect.ErrUnique},
		{"update", 2, dialect.ErrUnique},
		{"insert artist", 3, dialect.ErrUnique},
		{"delete", 4, dialect.ErrForeignKey},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
				ctx := context.Background()
				seed(t, db, artists.Table, &artist{Name: "Queen", Born: born}, &artist{Name: "Taken", Born: born})
				seed(t, db, tracks.Table, &track{ArtistID: 2, Title: "Two"})
				seed(t, db, labels.Table, &label{Name: "seeded"})
				u := begin(t, db)
				l := &label{Name: "fine"}
				if tc.at == 1 {
					l.ID = 1 // taken
				}
				if err := uow.Add(u, labels.Table, l); err != nil {
					t.Fatal(err)
				}
				name := "New"
				if tc.at == 3 {
					name = "Taken"
				}
				if err := uow.Add(u, artists.Table, &artist{Name: name, Born: born}); err != nil {
					t.Fatal(err)
				}
				a, err := uow.Get(ctx, u, artists.Table, 1)
				if err != nil {
					t.Fatal(err)
				}
				a.Rating = 3
				if tc.at == 2 {
					a.Name = "Taken"
				}
				if tc.at == 4 {
					taken, err := uow.Get(ctx, u, artists.Table, 2)
					if err != nil {
						t.Fatal(err)
					}
					if err := uow.Delete(u, artists.Table, taken); err != nil {
						t.Fatal(err)
					}
				}
				rec.reset()
				err = u.Flush(ctx)
				w := rec.writes()
				if len(w) < tc.at {
					// Statements sent in one batch with the failing one
					// (PostgreSQL) are recorded too, though the server
					// skipped them.
					t.Errorf("flush sent %d writes, want at least %d: %+v", len(w), tc.at, w)
				}
				checkFailed(t, u, err, tc.want)
				if err := u.Rollback(ctx); err != nil {
					t.Fatalf("Rollback: %v", err)
				}
				if tc.at != 1 && l.ID != 0 {
					t.Errorf("label keeps key %d after Rollback, want 0", l.ID)
				}
				if na, nl := count(t, db, artists.Table), count(t, db, labels.Table); na != 2 || nl != 1 {
					t.Errorf("%d artists, %d labels stored; want 2 and 1", na, nl)
				}
				if s := stored(t, db, artists.Table, 1); s.Rating != 0 || s.Name != "Queen" {
					t.Errorf("artist 1 stored as %+v, want unchanged", s)
				}
			})
		})
	}
}

// checkFailed checks that err, the error of a failed flush, and every
// later call on u match ErrFailed and want.
func checkFailed(t *testing.T, u *uow.Unit, err, want error) {
	t.Helper()
	ctx := context.Background()
	if !errors.Is(err, uow.ErrFailed) || !errors.Is(err, want) {
		t.Fatalf("Flush = %v, want ErrFailed and %v", err, want)
	}
	var ce *dialect.ConstraintError
	if !errors.As(err, &ce) || ce.Err == nil {
		t.Errorf("Flush = %v, want a *dialect.ConstraintError wrapping the driver's", err)
	}
	_, getErr := uow.Get(ctx, u, artists.Table, 1)
	_, findErr := uow.Find(ctx, u, repo.New(u.Tx(), artists.Table).Query())
	for name, err := range map[string]error{
		"Get":    getErr,
		"Find":   findErr,
		"Add":    uow.Add(u, labels.Table, &label{Name: "x"}),
		"Delete": uow.Delete(u, labels.Table, &label{ID: 1}),
		"Flush":  u.Flush(ctx),
		"Commit": u.Commit(ctx),
	} {
		if !errors.Is(err, uow.ErrFailed) || !errors.Is(err, want) {
			t.Errorf("%s after a failed flush = %v, want ErrFailed wrapping %v", name, err, want)
		}
	}
}
