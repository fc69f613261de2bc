package uow_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// Three tables of their own for the failure injection test: a parent, its
// children and their notes, each with a unique text column.

type injParent struct {
	ID   int64
	Code string
}

type injParentTable struct {
	*mapped.Table[injParent]
	ID   mapped.Column[injParent, int64]
	Code mapped.TextColumn[injParent, string]
}

var injParents = mapped.Define("inj_parent", func(t *mapped.Table[injParent], p *injParent) injParentTable {
	return injParentTable{
		Table: t,
		ID:    mapped.PrimaryKey(t, &p.ID),
		Code:  mapped.Text(t, &p.Code, mapped.Unique()),
	}
})

type injChild struct {
	ID       int64
	ParentID int64
	Name     string
}

type injChildTable struct {
	*mapped.Table[injChild]
	ID       mapped.Column[injChild, int64]
	ParentID mapped.Column[injChild, int64]
	Name     mapped.TextColumn[injChild, string]
}

var injChildren = mapped.Define("inj_child", func(t *mapped.Table[injChild], c *injChild) injChildTable {
	return injChildTable{
		Table:    t,
		ID:       mapped.PrimaryKey(t, &c.ID),
		ParentID: mapped.ForeignKey(t, &c.ParentID, injParents.ID),
		Name:     mapped.Text(t, &c.Name, mapped.Unique()),
	}
})

type injNote struct {
	ID      int64
	ChildID int64
	Body    string
}

type injNoteTable struct {
	*mapped.Table[injNote]
	ID      mapped.Column[injNote, int64]
	ChildID mapped.Column[injNote, int64]
	Body    mapped.TextColumn[injNote, string]
}

var injNotes = mapped.Define("inj_note", func(t *mapped.Table[injNote], n *injNote) injNoteTable {
	return injNoteTable{
		Table:   t,
		ID:      mapped.PrimaryKey(t, &n.ID),
		ChildID: mapped.ForeignKey(t, &n.ChildID, injChildren.ID),
		Body:    mapped.Text(t, &n.Body, mapped.Unique()),
	}
})

// injTrigger is one statement of the injection unit's flush, with the
// violation that makes exactly that statement fail.
type injTrigger struct {
	name   string
	op     string   // INSERT, UPDATE or DELETE
	table  string   // the table the statement writes
	want   error    // the constraint sentinel of its violation
	tables []string // tables the driver may name in the error; empty: op's table
}

// injTriggers are the statements of the unit's flush, in the order the
// flush sends them: the rounds of inserts before the last (parents' tables
// first, each table's new rows in one multi-row INSERT); then, table by
// table, each table's updates of loaded rows followed by its inserts of
// the last round; then deletes (children's tables first). Position k
// (from 1) is injTriggers[k-1].
var injTriggers = []injTrigger{
	{"insert parents: duplicate code", "INSERT", "inj_parent", dialect.ErrUnique, nil},
	{"insert children: missing parent", "INSERT", "inj_child", dialect.ErrForeignKey, nil},
	{"update parent 1: duplicate code", "UPDATE", "inj_parent", dialect.ErrUnique, nil},
	{"update child 1: duplicate name", "UPDATE", "inj_child", dialect.ErrUnique, nil},
	{"update child 2: missing parent", "UPDATE", "inj_child", dialect.ErrForeignKey, nil},
	{"update note 1: duplicate body", "UPDATE", "inj_note", dialect.ErrUnique, nil},
	{"insert notes: duplicate body", "INSERT", "inj_note", dialect.ErrUnique, nil},
	// A delete of a referenced row: PostgreSQL names the referencing table.
	{"delete child 3: referenced by a new note", "DELETE", "inj_child", dialect.ErrForeignKey, []string{"inj_child", "inj_note"}},
	{"delete parent 3: referenced by a new child", "DELETE", "inj_parent", dialect.ErrForeignKey, []string{"inj_parent", "inj_child"}},
}

// injSeed stores the rows every run starts from: parents p1, p2, p3 (to
// be deleted) and ps, which the unit never touches; children c1, c2 of
// p1, c3 (to be deleted) and cs of p2; notes n1 of c1 and ns of cs. Keys
// are 1, 2, … in that order.
func injSeed(t testing.TB, db dialect.DB) {
	t.Helper()
	if err := mapped.CreateAll(context.Background(), db, injParents.Table, injChildren.Table, injNotes.Table); err != nil {
		t.Fatalf("CreateAll: %v", err)
	}
	seed(t, db, injParents.Table, &injParent{Code: "p1"}, &injParent{Code: "p2"}, &injParent{Code: "p3"},
		&injParent{Code: "ps"})
	seed(t, db, injChildren.Table, &injChild{ParentID: 1, Name: "c1"}, &injChild{ParentID: 1, Name: "c2"},
		&injChild{ParentID: 2, Name: "c3"}, &injChild{ParentID: 2, Name: "cs"})
	seed(t, db, injNotes.Table, &injNote{ChildID: 1, Body: "n1"}, &injNote{ChildID: 4, Body: "ns"})
}

// injUnit does the unit's work, whose flush sends one statement per entry
// of injTriggers; with k ≥ 1, the k-th of them violates a constraint and
// every other one would succeed. Added rows reference stored rows only.
func injUnit(ctx context.Context, u *uow.Unit, k int) error {
	// 1: INSERT INTO inj_parent, two rows.
	p6 := "p6"
	if k == 1 {
		p6 = "ps"
	}
	for _, code := range []string{"p5", p6} {
		if err := uow.Add(u, injParents.Table, &injParent{Code: code}); err != nil {
			return err
		}
	}
	// 2: INSERT INTO inj_child, two rows. The second references parent 3,
	// deleted at 9, when 9 is to fail.
	parent := int64(4)
	switch k {
	case 2:
		parent = 999
	case 9:
		parent = 3
	}
	for _, c := range []*injChild{{ParentID: 2, Name: "c5"}, {ParentID: parent, Name: "c6"}} {
		if err := uow.Add(u, injChildren.Table, c); err != nil {
			return err
		}
	}
	// 7: INSERT INTO inj_note, two rows, after the notes' UPDATE. The
	// second references child 3, deleted at 8, when 8 is to fail.
	n6 := &injNote{ChildID: 4, Body: "n6"}
	switch k {
	case 7:
		n6.Body = "ns"
	case 8:
		n6.ChildID = 3
	}
	for _, n := range []*injNote{{ChildID: 1, Body: "n5"}, n6} {
		if err := uow.Add(u, injNotes.Table, n); err != nil {
			return err
		}
	}
	// 3–6: one UPDATE per changed row, parents' table first.
	p1, err := uow.Get(ctx, u, injParents.Table, 1)
	if err != nil {
		return err
	}
	p1.Code = "p1x"
	if k == 3 {
		p1.Code = "ps"
	}
	c1, err := uow.Get(ctx, u, injChildren.Table, 1)
	if err != nil {
		return err
	}
	c1.Name = "c1x"
	if k == 4 {
		c1.Name = "cs"
	}
	c2, err := uow.Get(ctx, u, injChildren.Table, 2)
	if err != nil {
		return err
	}
	c2.ParentID = 2
	if k == 5 {
		c2.ParentID = 999
	}
	n1, err := uow.Get(ctx, u, injNotes.Table, 1)
	if err != nil {
		return err
	}
	n1.Body = "n1x"
	if k == 6 {
		n1.Body = "ns"
	}
	// 8, 9: one DELETE per row, children's table first.
	c3, err := uow.Get(ctx, u, injChildren.Table, 3)
	if err != nil {
		return err
	}
	if err := uow.Delete(u, injChildren.Table, c3); err != nil {
		return err
	}
	p3, err := uow.Get(ctx, u, injParents.Table, 3)
	if err != nil {
		return err
	}
	return uow.Delete(u, injParents.Table, p3)
}

// injState is every stored row of the three tables, in key order.
type injState struct {
	Parents  []injParent
	Children []injChild
	Notes    []injNote
}

// newKeysZeroed returns s with the keys of the rows not in seeded set to
// zero: PostgreSQL's sequences do not roll back, so the keys a unit run
// after a failed one generates are not those of the dry run. (New rows
// reference seeded rows only, so no foreign key needs the same.)
func (s injState) newKeysZeroed(seeded injState) injState {
	return injState{
		Parents:  injZero(s.Parents, seeded.Parents, func(p *injParent) *int64 { return &p.ID }),
		Children: injZero(s.Children, seeded.Children, func(c *injChild) *int64 { return &c.ID }),
		Notes:    injZero(s.Notes, seeded.Notes, func(n *injNote) *int64 { return &n.ID }),
	}
}

func injZero[T any](rows, seeded []T, id func(*T) *int64) []T {
	keep := map[int64]bool{}
	for i := range seeded {
		keep[*id(&seeded[i])] = true
	}
	out := slices.Clone(rows)
	for i := range out {
		if k := id(&out[i]); !keep[*k] {
			*k = 0
		}
	}
	return out
}

func injRead(t testing.TB, db dialect.DB) injState {
	t.Helper()
	return injState{
		Parents:  injAll(t, db, injParents.Table, func(p injParent) int64 { return p.ID }),
		Children: injAll(t, db, injChildren.Table, func(c injChild) int64 { return c.ID }),
		Notes:    injAll(t, db, injNotes.Table, func(n injNote) int64 { return n.ID }),
	}
}

func injAll[T any](t testing.TB, db dialect.DB, tb *mapped.Table[T], id func(T) int64) []T {
	t.Helper()
	rows, err := repo.New(db, tb).Query().All(context.Background())
	if err != nil {
		t.Fatalf("read %s: %v", tb.TableName(), err)
	}
	out := make([]T, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b T) int { return cmp.Compare(id(a), id(b)) })
	return out
}

// injStatements counts the INSERT, UPDATE and DELETE statements in the
// recorded events, by their text, so that a flush that sends several
// statements in one round trip (each reported alone or their texts
// together) counts the same. It returns them as "OP table".
func injStatements(events []dialect.Event) []string {
	var out []string
	for _, e := range events {
		for _, stmt := range strings.Split(e.SQL, ";") {
			stmt = strings.TrimSpace(stmt)
			for _, op := range []string{"INSERT", "UPDATE", "DELETE"} {
				if strings.HasPrefix(stmt, op+" ") {
					out = append(out, op+" "+injTable(stmt))
				}
			}
		}
	}
	return out
}

// injTable returns the table an INSERT, UPDATE or DELETE writes.
func injTable(stmt string) string {
	f := strings.Fields(stmt)
	name := ""
	switch {
	case len(f) > 2 && (f[0] == "INSERT" || f[0] == "DELETE"):
		name = f[2] // INSERT INTO t, DELETE FROM t
	case len(f) > 1:
		name = f[1] // UPDATE t
	}
	name, _, _ = strings.Cut(name, "(")
	return strings.Trim(name, `"`)
}

// For a unit whose flush sends N statements (inserts into three tables,
// four updates, two deletes), a constraint violation at each position k =
// 1..N fails the unit with ErrFailed wrapping the constraint's typed
// error, commits none of its rows and leaves every seeded row as it was;
// on every dialect, whether the flush is Run's commit or an explicit
// Flush inside the function. The same unit without a violation commits.
func TestInjectedViolation(t *testing.T) {
	t.Parallel()
	for _, name := range testdb.Dialects {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()

			// The dry run: the unit without a violation sends one statement
			// per trigger, and commits.
			rec := &recorder{}
			db := testdb.Open(t, name, dialect.WithHook(rec.hook))
			injSeed(t, db)
			seeded := injRead(t, db)
			rec.reset()
			if err := uow.Run(ctx, db, func(u *uow.Unit) error { return injUnit(ctx, u, 0) }); err != nil {
				t.Fatalf("unit without a violation: %v", err)
			}
			rec.mu.Lock()
			got := injStatements(rec.events)
			rec.mu.Unlock()
			var want []string
			for _, tr := range injTriggers {
				want = append(want, tr.op+" "+tr.table)
			}
			t.Logf("N = %d statements: %q", len(got), got)
			if len(got) != len(want) {
				t.Fatalf("the unit's flush sent %d statements %q, want N = %d, %q", len(got), got, len(want), want)
			}
			if !slices.Equal(got, want) {
				t.Errorf("the unit's flush sent %q, want %q (the positions k assume this order)", got, want)
			}
			if n := len(got); n < 8 {
				t.Fatalf("N = %d statements, want at least 8", n)
			}
			after := injRead(t, db)
			if len(after.Parents) != 5 || len(after.Children) != 5 || len(after.Notes) != 4 {
				t.Errorf("after the unit without a violation: %+v, want 5 parents, 5 children, 4 notes", after)
			}

			var (
				mu        sync.Mutex
				exercised = map[string]bool{}
			)
			t.Cleanup(func() {
				for k := 1; k <= len(got); k++ {
					for _, mode := range []string{"commit", "flush"} {
						if !exercised[fmt.Sprintf("%d %s", k, mode)] {
							t.Errorf("position k = %d (%s) was not exercised", k, mode)
						}
					}
				}
			})

			for k := 1; k <= len(got); k++ {
				tr := injTriggers[k-1]
				for _, mode := range []string{"commit", "flush"} {
					t.Run(fmt.Sprintf("k=%d %s/%s", k, tr.name, mode), func(t *testing.T) {
						t.Parallel()
						db := testdb.Open(t, name)
						injSeed(t, db)
						if s := injRead(t, db); !reflect.DeepEqual(s, seeded) {
							t.Fatalf("seeded %+v, want %+v", s, seeded)
						}
						var flushErr error
						err := uow.Run(ctx, db, func(u *uow.Unit) error {
							if err := injUnit(ctx, u, k); err != nil {
								return fmt.Errorf("before the flush: %w", err)
							}
							if mode == "commit" {
								return nil
							}
							flushErr = u.Flush(ctx)
							if flushErr == nil {
								return nil
							}
							// The failed unit refuses every later call.
							for what, err := range map[string]error{
								"Flush":  u.Flush(ctx),
								"Add":    uow.Add(u, injParents.Table, &injParent{Code: "late"}),
								"Commit": u.Commit(ctx),
							} {
								if !errors.Is(err, uow.ErrFailed) || !errors.Is(err, tr.want) {
									t.Errorf("%s after the failed flush = %v, want ErrFailed wrapping %v", what, err, tr.want)
								}
							}
							return flushErr
						})
						if mode == "flush" && flushErr == nil {
							t.Errorf("Flush with a violation at k = %d = nil", k)
						}
						checkInjected(t, err, tr)

						if s := injRead(t, db); !reflect.DeepEqual(s, seeded) {
							t.Errorf("stored after the failed unit:\n%+v\nwant the seeded rows only:\n%+v", s, seeded)
						}
						// Nothing is left locked or half done: the same unit
						// without the violation commits on the same database.
						if err := uow.Run(ctx, db, func(u *uow.Unit) error { return injUnit(ctx, u, 0) }); err != nil {
							t.Errorf("unit without a violation after the failed one: %v", err)
						} else if s := injRead(t, db); !reflect.DeepEqual(s.newKeysZeroed(seeded), after.newKeysZeroed(seeded)) {
							t.Errorf("after the unit without a violation: %+v, want %+v", s, after)
						}
						mu.Lock()
						exercised[fmt.Sprintf("%d %s", k, mode)] = true
						mu.Unlock()
					})
				}
			}
		})
	}
}

// checkInjected checks the error of a unit whose flush violated tr's
// constraint: ErrFailed, the constraint's sentinel, and a
// *dialect.ConstraintError that wraps the driver's error and names tr's
// table where the driver names one.
func checkInjected(t *testing.T, err error, tr injTrigger) {
	t.Helper()
	if !errors.Is(err, uow.ErrFailed) || !errors.Is(err, tr.want) {
		t.Fatalf("Run = %v, want ErrFailed and %v", err, tr.want)
	}
	var ce *dialect.ConstraintError
	if !errors.As(err, &ce) || ce.Err == nil {
		t.Fatalf("Run = %v, want a *dialect.ConstraintError wrapping the driver's", err)
	}
	tables := tr.tables
	if len(tables) == 0 {
		tables = []string{tr.table}
	}
	if ce.Table != "" && !slices.Contains(tables, ce.Table) {
		t.Errorf("the violation is reported on table %q, want one of %q: another statement failed (%v)", ce.Table, tables, err)
	}
}
