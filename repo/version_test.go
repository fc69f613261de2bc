package repo_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

// vdoc is a versioned model: a generated key, two text columns and a
// version column.
type vdoc struct {
	ID      int64
	Title   string
	Body    string
	Version int64
}

type vdocTable struct {
	*mapped.Table[vdoc]
	ID      mapped.Column[vdoc, int64]
	Title   mapped.TextColumn[vdoc, string]
	Body    mapped.TextColumn[vdoc, string]
	Version mapped.Column[vdoc, int64]
}

var vdocs = mapped.Define("vdoc", func(t *mapped.Table[vdoc], d *vdoc) vdocTable {
	return vdocTable{
		Table:   t,
		ID:      mapped.PrimaryKey(t, &d.ID),
		Title:   mapped.Text(t, &d.Title),
		Body:    mapped.Text(t, &d.Body),
		Version: mapped.Col(t, &d.Version, mapped.Version()),
	}
})

// An UPDATE of the version column alone and an UPDATE of every column are
// two statements; whichever runs first, the other must not reuse its text
// (a false ErrStale, or a missing argument).
func TestUpdateShapesAreNotShared(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, vdocs.Table)
		for _, order := range []string{"version first", "every column first"} {
			r := repo.New(db, vdocs.Table) // a fresh statement cache
			d := &vdoc{Title: "a", Body: "b"}
			insertAll(t, r, d)
			versionOnly := func() error { return r.Update(ctx, d, vdocs.Version) }
			every := func() error { d.Title, d.Body = d.Title+"!", d.Body+"?"; return r.Update(ctx, d) }
			steps := []func() error{versionOnly, every, versionOnly, every}
			if order == "every column first" {
				steps = []func() error{every, versionOnly, every, versionOnly}
			}
			for i, step := range steps {
				if err := step(); err != nil {
					t.Fatalf("%s: update %d: %v", order, i+1, err)
				}
			}
			got, err := r.Get(ctx, d.ID)
			if err != nil {
				t.Fatalf("%s: Get: %v", order, err)
			}
			if *got != *d || got.Version != 5 {
				t.Errorf("%s: stored %+v, want %+v at version 5", order, *got, *d)
			}
		}
	})
}

// verRow is a versioned row whose version column has the type V.
type verRow[V any] struct {
	ID   int64
	Name string
	Ver  V
}

// Named integer types, for versions and keys.
type (
	rev    int64
	rev16  uint16
	noteID int64
	code   string
)

// versionKinds runs the versioning scenario for one integer type: the
// version starts at 1, moves by one on each Update, a stale copy is
// refused, and an Update that would take the version past the largest
// value of V is refused with nothing written.
func versionKinds[V any](t *testing.T, db dialect.DB, name string, max V, fromMax func(V) int64) {
	t.Helper()
	ctx := context.Background()
	var cols struct {
		name mapped.TextColumn[verRow[V], string]
		ver  mapped.Column[verRow[V], V]
	}
	table := mapped.Define("ver_"+name, func(t *mapped.Table[verRow[V]], r *verRow[V]) *mapped.Table[verRow[V]] {
		mapped.PrimaryKey(t, &r.ID)
		cols.name = mapped.Text(t, &r.Name)
		cols.ver = mapped.Col(t, &r.Ver, mapped.Version())
		return t
	})
	create(t, db, table)
	r := repo.New(db, table)
	row := &verRow[V]{Name: "a"}
	insertAll(t, r, row)
	stale := *row
	for i := range 3 {
		row.Name = fmt.Sprint("a", i)
		if err := r.Update(ctx, row); err != nil {
			t.Fatalf("%s: update %d: %v", name, i+1, err)
		}
	}
	got, err := r.Get(ctx, row.ID)
	if err != nil {
		t.Fatalf("%s: Get: %v", name, err)
	}
	if v := fmt.Sprint(got.Ver); v != "4" || fmt.Sprint(row.Ver) != "4" {
		t.Errorf("%s: version after insert and three updates: stored %s, in the row %v; want 4", name, v, row.Ver)
	}
	wantErr(t, name+": update of a stale copy", r.Update(ctx, &stale), repo.ErrStale)

	top := &verRow[V]{Name: "top", Ver: max}
	insertAll(t, r, top)
	top.Name = "changed"
	err = r.Update(ctx, top)
	if err == nil || !strings.Contains(err.Error(), "ver_"+name+".ver") || !strings.Contains(err.Error(), fmt.Sprint(fromMax(max))) {
		t.Errorf("%s: update at the largest version: got %v, want an error naming ver_%s.ver and %d", name, err, name, fromMax(max))
	}
	stored, err := r.Get(ctx, top.ID)
	if err != nil || stored.Name != "top" || fmt.Sprint(stored.Ver) != fmt.Sprint(max) {
		t.Errorf("%s: row after the refused update: %+v, %v; want it unchanged", name, stored, err)
	}
	if err := r.Delete(ctx, stored); err != nil {
		t.Errorf("%s: delete at the largest version: %v", name, err)
	}
}

func TestVersionKinds(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		versionKinds(t, db, "int64", int64(math.MaxInt64), func(v int64) int64 { return v })
		versionKinds(t, db, "int32", int32(math.MaxInt32), func(v int32) int64 { return int64(v) })
		versionKinds(t, db, "int16", int16(math.MaxInt16), func(v int16) int64 { return int64(v) })
		versionKinds(t, db, "int8", int8(math.MaxInt8), func(v int8) int64 { return int64(v) })
		versionKinds(t, db, "int", int(math.MaxInt64), func(v int) int64 { return int64(v) })
		versionKinds(t, db, "uint64", uint64(math.MaxInt64), func(v uint64) int64 { return int64(v) })
		versionKinds(t, db, "uint32", uint32(math.MaxUint32), func(v uint32) int64 { return int64(v) })
		versionKinds(t, db, "uint16", uint16(math.MaxUint16), func(v uint16) int64 { return int64(v) })
		versionKinds(t, db, "uint8", uint8(math.MaxUint8), func(v uint8) int64 { return int64(v) })
		versionKinds(t, db, "rev", rev(math.MaxInt64), func(v rev) int64 { return int64(v) })
		versionKinds(t, db, "rev16", rev16(math.MaxUint16), func(v rev16) int64 { return int64(v) })
	})
}

type memo struct {
	ID   noteID
	Body string
}

var memos = mapped.Define("memo", func(t *mapped.Table[memo], n *memo) *mapped.Table[memo] {
	mapped.PrimaryKey(t, &n.ID)
	mapped.Text(t, &n.Body)
	return t
})

type label struct {
	Code code
	Name string
}

var labels = mapped.Define("label", func(t *mapped.Table[label], l *label) *mapped.Table[label] {
	mapped.PrimaryKey(t, &l.Code)
	mapped.Text(t, &l.Name)
	return t
})

// Keys of named types are found from any value that converts to the
// key's type without loss; others are ErrNoKey with one operation named.
func TestNamedKeyTypes(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		create(t, db, memos, labels)
		ns, ls := repo.New(db, memos), repo.New(db, labels)
		n := &memo{Body: "hello"}
		insertAll(t, ns, n)
		insertAll(t, ls, &label{Code: "abc", Name: "A B C"})
		for _, key := range []any{1, int64(1), noteID(1), uint8(1), rev(1), int32(1)} {
			if got, err := ns.Get(ctx, key); err != nil || got.Body != "hello" {
				t.Errorf("Get(%T %v): %v, %v; want the memo", key, key, got, err)
			}
		}
		for _, key := range []any{"abc", code("abc")} {
			if got, err := ls.Get(ctx, key); err != nil || got.Name != "A B C" {
				t.Errorf("Get(%T %v) of a label: %v, %v; want the label", key, key, got, err)
			}
		}
		for _, tc := range []struct {
			key  any
			want string
		}{
			{"1", `repo: get memo: missing or zero primary key: memo.id: got string, want repo_test.noteID`},
			{1.0, `repo: get memo: missing or zero primary key: memo.id: got float64, want repo_test.noteID`},
			{uint64(math.MaxUint64), `repo: get memo: missing or zero primary key: memo.id: 18446744073709551615 does not fit repo_test.noteID`},
		} {
			_, err := ns.Get(ctx, tc.key)
			wantErr(t, fmt.Sprintf("Get(%T %v)", tc.key, tc.key), err, repo.ErrNoKey)
			if err != nil && err.Error() != tc.want {
				t.Errorf("Get(%T %v): error %q, want %q", tc.key, tc.key, err.Error(), tc.want)
			}
		}
		_, err := ls.Get(ctx, 7)
		wantErr(t, "Get(7) of a label", err, repo.ErrNoKey)
	})
}
