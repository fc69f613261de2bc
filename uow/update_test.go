package uow_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/uow"
)

// A flush updates only the columns that changed, zero values included,
// and the next flush of the same row runs nothing.
func TestPartialUpdate(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		seed(t, db, artists.Table, &artist{Name: "Queen", Rating: 5, Active: true, Photo: []byte{7}, Born: born})
		u := begin(t, db)
		a, err := uow.Get(ctx, u, artists.Table, 1)
		if err != nil {
			t.Fatal(err)
		}
		a.Rating, a.Active, a.Photo = 0, false, nil
		rec.reset()
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		got := rec.statements()
		if len(got) != 1 {
			t.Fatalf("Flush ran %q, want one UPDATE", got)
		}
		sql := got[0]
		set, _, _ := strings.Cut(sql, " WHERE ")
		for _, col := range []string{`"rating"`, `"active"`, `"photo"`} {
			if !strings.Contains(set, col) {
				t.Errorf("UPDATE %q does not set %s", sql, col)
			}
		}
		for _, col := range []string{`"name"`, `"born"`, `"id" =`} {
			if strings.Contains(set, col) {
				t.Errorf("UPDATE %q sets the unchanged %s", sql, col)
			}
		}
		rec.reset()
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if got := rec.statements(); len(got) != 0 {
			t.Errorf("second Flush ran %q, want nothing", got)
		}
		// Changes made in place, through the row's []byte and pointer
		// fields, are changes too.
		plays := int64(1)
		a.Photo, a.Plays = []byte{1}, &plays
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		a.Photo[0] = 2
		*a.Plays = 2
		rec.reset()
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if got := rec.statements(); len(got) != 1 || !strings.Contains(got[0], `"photo"`) || !strings.Contains(got[0], `"plays"`) {
			t.Errorf("Flush after in-place changes ran %q, want an UPDATE of photo and plays", got)
		}
		a.Name = "Queen II"
		rec.reset()
		if err := u.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if got := rec.statements(); len(got) != 1 || !strings.Contains(got[0], `SET "name" = `) || strings.Contains(got[0], `"rating"`) {
			t.Errorf("Commit ran %q, want one UPDATE of name only", got)
		}
		s := stored(t, db, artists.Table, 1)
		if s.Name != "Queen II" || s.Rating != 0 || s.Active || !bytes.Equal(s.Photo, []byte{2}) ||
			s.Plays == nil || *s.Plays != 2 || !s.Born.Equal(born) {
			t.Errorf("stored %+v, want Queen II, rating 0, inactive, photo [2], 2 plays, born %v", s, born)
		}
	})
}

// Changing the key of a loaded row is refused: it would update another
// row. Nothing is written, and the unit stays usable: with the key put
// back, the flush goes on.
func TestKeyChangeRefused(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		seed(t, db, artists.Table, &artist{Name: "Queen", Born: born})
		u := begin(t, db)
		a, err := uow.Get(ctx, u, artists.Table, 1)
		if err != nil {
			t.Fatal(err)
		}
		a.ID, a.Name = 2, "Other"
		rec.reset()
		err = u.Flush(ctx)
		if err == nil || errors.Is(err, uow.ErrFailed) || !strings.Contains(err.Error(), "key column id") {
			t.Errorf("Flush after a key change = %v, want a refusal naming the key column, the unit not failed", err)
		}
		if got := rec.statements(); len(got) != 0 {
			t.Errorf("Flush ran %q, want nothing", got)
		}
		a.ID = 1
		if err := u.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if s := stored(t, db, artists.Table, 1); s.Name != "Other" {
			t.Errorf("stored %+v, want the name written once the key is back", s)
		}
	})
}
