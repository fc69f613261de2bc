package repo_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

// dflt has a database default on columns of every nullable kind, and the
// current time as the default of a plain time.Time.
type dflt struct {
	ID      int64
	N       *int64
	B       *bool
	F       *float64
	NN      sql.Null[int64]
	S       *string
	Created time.Time
	Touched *time.Time
}

var dflts = mapped.Define("dflt", func(t *mapped.Table[dflt], d *dflt) *mapped.Table[dflt] {
	mapped.PrimaryKey(t, &d.ID)
	mapped.Col(t, &d.N, mapped.Default(7))
	mapped.Col(t, &d.B, mapped.Default(true))
	mapped.Col(t, &d.F, mapped.Default(2.5))
	mapped.Col(t, &d.NN, mapped.Default(9))
	mapped.Text(t, &d.S, mapped.Default("x"))
	mapped.Col(t, &d.Created, mapped.DefaultNow())
	mapped.Col(t, &d.Touched, mapped.DefaultNow())
	return t
})

// checkDefaulted fails unless d holds every column's default, with its
// times about now.
func checkDefaulted(t *testing.T, what string, d *dflt, before time.Time) {
	t.Helper()
	after := time.Now().Add(time.Second)
	switch {
	case d.N == nil || *d.N != 7, d.B == nil || !*d.B, d.F == nil || *d.F != 2.5,
		d.NN != (sql.Null[int64]{V: 9, Valid: true}), d.S == nil || *d.S != "x":
		t.Errorf("%s: got n=%v b=%v f=%v nn=%v s=%v, want the defaults 7 true 2.5 9 x",
			what, deref(d.N), deref(d.B), deref(d.F), d.NN, deref(d.S))
	}
	if d.Created.Before(before) || d.Created.After(after) {
		t.Errorf("%s: created = %v, want about now (the default)", what, d.Created)
	}
	if d.Touched == nil || d.Touched.Before(before) || d.Touched.After(after) {
		t.Errorf("%s: touched = %v, want about now (the default)", what, deref(d.Touched))
	}
}

func deref[V any](p *V) any {
	if p == nil {
		return nil
	}
	return *p
}

// A NULL written to a column with a default leaves it to the default, for
// every nullable Go type, through Insert and InsertMany; a zero time.Time
// in a DefaultNow column does too; values given are written as they are.
func TestDefaults(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, dflts)
		r := repo.New(db, dflts)
		before := time.Now().Add(-time.Second)
		one := &dflt{}
		if err := r.Insert(ctx, one); err != nil {
			t.Fatalf("Insert: %v", err)
		}
		checkDefaulted(t, "Insert, read back", one, before)
		many := []*dflt{{}, {}, {}}
		if err := r.InsertMany(ctx, many); err != nil {
			t.Fatalf("InsertMany: %v", err)
		}
		for i, d := range append([]*dflt{one}, many...) {
			checkDefaulted(t, "InsertMany, read back", d, before)
			stored, err := r.Get(ctx, d.ID)
			if err != nil {
				t.Fatalf("Get %d: %v", i, err)
			}
			checkDefaulted(t, "stored", stored, before)
		}

		zero, f, at := int64(0), false, time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
		zf, empty := 0.0, ""
		given := &dflt{N: &zero, B: &f, F: &zf, NN: sql.Null[int64]{Valid: true}, S: &empty, Created: at, Touched: &at}
		if err := r.Insert(ctx, given); err != nil {
			t.Fatalf("Insert of given values: %v", err)
		}
		stored, err := r.Get(ctx, given.ID)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if *stored.N != 0 || *stored.B || *stored.F != 0 || stored.NN != (sql.Null[int64]{Valid: true}) ||
			*stored.S != "" || !stored.Created.Equal(at) || !stored.Touched.Equal(at) {
			t.Errorf("given values: stored %+v, want zeros and %v", *stored, at)
		}
	})
}
