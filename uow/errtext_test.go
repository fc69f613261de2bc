package uow_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// packagePrefixes are the prefixes genrepo's errors start with.
var packagePrefixes = []string{"dialect", "query", "mapped", "relation", "repo", "uow", "sqlite", "postgres"}

// namesOperationOnce fails unless msg starts with one package prefix and
// names no package again later (as "repo: get x: repo: …" or "…: mapped: …"
// would).
func namesOperationOnce(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error", what)
		return
	}
	segs := strings.Split(err.Error(), ": ")
	isPkg := func(s string) bool {
		for _, p := range packagePrefixes {
			if s == p {
				return true
			}
		}
		return false
	}
	if !isPkg(segs[0]) {
		t.Errorf("%s: %q does not start with a package prefix", what, err)
	}
	for _, s := range segs[1:] {
		if isPkg(s) {
			t.Errorf("%s: %q names a package again (%q)", what, err, s)
			return
		}
	}
}

// Errors from every layer, as a caller sees them, name their operation
// once: one package prefix, at the start.
func TestErrorsNameTheirOperationOnce(t *testing.T) {
	t.Parallel()
	graph(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		seed(t, db, artists.Table, &artist{Name: "Taken", Born: born})
		seed(t, db, bands.Table, &band{Name: "Band"})
		rs := repo.New(db, artists.Table)
		check := func(what string, err error) { t.Helper(); namesOperationOnce(t, what, err) }

		_, err := rs.Get(ctx, "1")
		check("Get with a key of the wrong type", err)
		_, err = rs.Get(ctx, 99)
		check("Get of a missing key", err)
		check("Insert of a duplicate", rs.Insert(ctx, &artist{Name: "Taken", Born: born}))
		check("Insert of a time out of range", rs.Insert(ctx, &artist{Name: "x", Born: time.Date(300000, 1, 1, 0, 0, 0, 0, time.UTC)}))
		_, err = rs.Where(artists.Name.Eq("a\x00b")).All(ctx)
		if db.Dialect().Features().StrictText {
			check("a condition with invalid text", err)
		}
		check("Update of a missing row", rs.Update(ctx, &artist{ID: 99, Name: "n", Born: born}))
		check("Delete of a zero key", rs.Delete(ctx, &artist{}))
		_, err = rs.UpdateWhere(ctx, query.Cond[artist]{}, artists.Name.Set("x"))
		check("UpdateWhere without a condition", err)
		_, err = query.Select1(artists.Rating).Where(artists.ID.Eq(1)).Limit(-1).All(ctx, db)
		check("a projection with a negative limit", err)

		err = uow.Run(ctx, db, func(u *uow.Unit) error {
			return uow.Add(u, artists.Table, &artist{Name: "Taken", Born: born})
		})
		check("a unit whose flush fails", err)
		if !errors.Is(err, uow.ErrFailed) || !errors.Is(err, dialect.ErrUnique) {
			t.Errorf("a unit whose flush fails: %v, want ErrFailed and ErrUnique", err)
		}
		err = uow.Run(ctx, db, func(u *uow.Unit) error {
			_, err := uow.Get(ctx, u, artists.Table, math.MaxInt64)
			return err
		})
		check("uow.Get of a missing key", err)
		err = uow.Run(ctx, db, func(u *uow.Unit) error {
			b, err := uow.Get(ctx, u, bands.Table, 1)
			if err != nil {
				return err
			}
			b.Records = []*record{{Title: "r", Tunes: []*tune{{Title: "t"}}}}
			if err := u.Flush(ctx); err != nil {
				return err
			}
			b.Records = []*record{} // a record released, its key NOT NULL: refused
			return u.Flush(ctx)
		})
		check("a flush refused before sending", err)
		_, err = tuneRecord.Fetch(ctx, db, &tune{RecordID: 1})
		if err != nil {
			check("a relation's Fetch", err)
		}
	})
}
