package uow_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/uow"
)

// keysInOrder fails unless the keys are increasing, which is the order the
// rows were added in.
func keysInOrder(t *testing.T, what string, keys ...int64) {
	t.Helper()
	for i := 1; i < len(keys); i++ {
		if keys[i] <= keys[i-1] {
			t.Errorf("%s: keys %v, want them increasing in the order the rows were added", what, keys)
			return
		}
	}
}

// A table's new rows get their generated keys in the order they were
// added, as SQLAlchemy inserts them: whether they share a statement, go in
// statements of different shapes, or wait for parents of their own table.
func TestInsertKeepsAddOrder(t *testing.T) {
	t.Parallel()
	graph(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		if err := mapped.CreateAll(ctx, db, settings); err != nil {
			t.Fatal(err)
		}
		three := int64(3)
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			// Plain rows.
			a, b, c := &label{Name: "a"}, &label{Name: "b"}, &label{Name: "c"}
			// Rows of different shapes: b writes a column a and c leave to
			// its default.
			sa, sb, sc := &setting{}, &setting{Level: &three}, &setting{}
			// Rows of a self-referencing table, the second one's boss the
			// first: it must wait for it, and the third must not jump it.
			x, y, z := &staff{Name: "x"}, &staff{Name: "y"}, &staff{Name: "z"}
			y.Boss = x
			// A row added before its boss goes after it, the others
			// keeping their order.
			boss, early, last := &staff{Name: "boss"}, &staff{Name: "early"}, &staff{Name: "last"}
			early.Boss = boss
			// Children reached through a parent added after others.
			r1 := &record{Title: "r1", Band: &band{Name: "later"}}
			r2 := &record{Title: "r2", BandID: 0}
			stored := &band{Name: "stored"}
			for _, err := range []error{
				uow.Add(u, labels.Table, a), uow.Add(u, labels.Table, b), uow.Add(u, labels.Table, c),
				uow.Add(u, settings, sa), uow.Add(u, settings, sb), uow.Add(u, settings, sc),
				uow.Add(u, staffs.Table, x), uow.Add(u, staffs.Table, y), uow.Add(u, staffs.Table, z),
				uow.Add(u, staffs.Table, early), uow.Add(u, staffs.Table, boss), uow.Add(u, staffs.Table, last),
				uow.Add(u, bands.Table, stored),
			} {
				if err != nil {
					return err
				}
			}
			r2.Band = stored
			if err := uow.Add(u, records.Table, r1); err != nil {
				return err
			}
			if err := uow.Add(u, records.Table, r2); err != nil {
				return err
			}
			if err := u.Flush(ctx); err != nil {
				return err
			}
			keysInOrder(t, "labels", a.ID, b.ID, c.ID)
			keysInOrder(t, "settings of different shapes", sa.ID, sb.ID, sc.ID)
			keysInOrder(t, "staff, the second waiting for the first", x.ID, y.ID, z.ID)
			keysInOrder(t, "staff added before its boss", z.ID, boss.ID, early.ID, last.ID)
			keysInOrder(t, "records", r1.ID, r2.ID)
			if y.BossID == nil || *y.BossID != x.ID {
				return fmt.Errorf("y's boss is %v, want %d", y.BossID, x.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
