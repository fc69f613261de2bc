package model_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/fixtures/school"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

// ---- a foreign key referencing a unique column that is not the key ----

type rvDept struct {
	ID     int64
	Number int64
	Emps   []*rvEmp
}

type rvDeptTable struct {
	*mapped.Table[rvDept]
	ID     mapped.Column[rvDept, int64]
	Number mapped.Column[rvDept, int64]
}

type rvEmp struct {
	ID         int64
	DeptNumber int64
	Name       string
}

type rvEmpTable struct {
	*mapped.Table[rvEmp]
	ID         mapped.Column[rvEmp, int64]
	DeptNumber mapped.Column[rvEmp, int64]
	Name       mapped.Column[rvEmp, string]
}

var rvDepts = mapped.Define("rv_dept", func(t *mapped.Table[rvDept], d *rvDept) rvDeptTable {
	return rvDeptTable{ID: mapped.PrimaryKey(t, &d.ID), Number: mapped.Col(t, &d.Number, mapped.Unique())}
})

var rvEmps = mapped.Define("rv_emp", func(t *mapped.Table[rvEmp], e *rvEmp) rvEmpTable {
	return rvEmpTable{ID: mapped.PrimaryKey(t, &e.ID),
		DeptNumber: mapped.ForeignKey(t, &e.DeptNumber, rvDepts.Number),
		Name:       mapped.Col(t, &e.Name)}
})

var rvDeptEmps = relation.HasMany(rvEmps.DeptNumber, func(d *rvDept) *[]*rvEmp { return &d.Emps })

// TestReviewDeleteByKeyCascadesFromStoredRow: repo.Delete documents that it
// "deletes the stored row with row's primary key", so a row holding only
// its key is a valid argument. With a cascade over a foreign key that
// references a unique column other than the key, the cascade is computed
// from the in-memory row (Number 0 here), not from the stored row, and
// deletes the employees of ANOTHER department (the one whose number is 0).
func TestReviewDeleteByKeyCascadesFromStoredRow(t *testing.T) {
	m := model.MustNew(model.Tables(rvDepts, rvEmps), model.OnDelete(rvDeptEmps, mapped.Cascade))
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		db := m.Bind(raw)
		if err := m.CreateAll(ctx, db); err != nil {
			t.Fatal(err)
		}
		depts, emps := repo.New(db, rvDepts.Table), repo.New(db, rvEmps.Table)
		sales := &rvDept{Number: 7}
		zero := &rvDept{Number: 0} // a legitimate department number
		for _, d := range []*rvDept{sales, zero} {
			if err := depts.Insert(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		if err := emps.InsertMany(ctx, []*rvEmp{{DeptNumber: 7, Name: "ann"}, {DeptNumber: 0, Name: "bob"}}); err != nil {
			t.Fatal(err)
		}
		// Delete sales by its key alone.
		if err := depts.Delete(ctx, &rvDept{ID: sales.ID}); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		left, err := emps.Where(rvEmps.Name.Eq("bob")).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(left) != 1 {
			t.Errorf("deleting department 7 by key deleted bob, an employee of department 0: %d rows left, want 1", len(left))
		}
	})
}

// ---- two cascades from one parent whose children reference each other ----

type rvOrder struct {
	ID int64
}

type rvOrderTable struct {
	*mapped.Table[rvOrder]
	ID mapped.Column[rvOrder, int64]
}

type rvLine struct {
	ID      int64
	OrderID int64
}

type rvLineTable struct {
	*mapped.Table[rvLine]
	ID      mapped.Column[rvLine, int64]
	OrderID mapped.Column[rvLine, int64]
}

type rvNote struct {
	ID      int64
	OrderID int64
	LineID  int64
}

type rvNoteTable struct {
	*mapped.Table[rvNote]
	ID      mapped.Column[rvNote, int64]
	OrderID mapped.Column[rvNote, int64]
	LineID  mapped.Column[rvNote, int64]
}

var rvOrders = mapped.Define("rv_order", func(t *mapped.Table[rvOrder], o *rvOrder) rvOrderTable {
	return rvOrderTable{ID: mapped.PrimaryKey(t, &o.ID)}
})

var rvLines = mapped.Define("rv_line", func(t *mapped.Table[rvLine], l *rvLine) rvLineTable {
	return rvLineTable{ID: mapped.PrimaryKey(t, &l.ID), OrderID: mapped.ForeignKey(t, &l.OrderID, rvOrders.ID)}
})

var rvNotes = mapped.Define("rv_note", func(t *mapped.Table[rvNote], n *rvNote) rvNoteTable {
	return rvNoteTable{ID: mapped.PrimaryKey(t, &n.ID),
		OrderID: mapped.ForeignKey(t, &n.OrderID, rvOrders.ID),
		LineID:  mapped.ForeignKey(t, &n.LineID, rvLines.ID)}
})

var (
	rvOrderLines = relation.HasMany(rvLines.OrderID, func(*rvOrder) *[]*rvLine { return new([]*rvLine) })
	rvOrderNotes = relation.HasMany(rvNotes.OrderID, func(*rvOrder) *[]*rvNote { return new([]*rvNote) })
)

// TestReviewCascadeOrderOfSiblings: an order cascades to its lines and to
// its notes; a note also references a line. The database itself deletes an
// order with both ON DELETE CASCADEs the model's CreateAll writes (shown on
// the plain handle), but the model's own cascade runs its rules in
// declaration order: it deletes the lines first, which the notes still
// reference, and the delete fails. Declared the other way round it works.
func TestReviewCascadeOrderOfSiblings(t *testing.T) {
	m := model.MustNew(model.Tables(rvOrders, rvLines, rvNotes),
		model.OnDelete(rvOrderLines, mapped.Cascade), model.OnDelete(rvOrderNotes, mapped.Cascade))
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		db := m.Bind(raw)
		if err := m.CreateAll(ctx, db); err != nil {
			t.Fatal(err)
		}
		seed := func(ex dialect.Executor) *rvOrder {
			o := &rvOrder{}
			if err := repo.New(ex, rvOrders.Table).Insert(ctx, o); err != nil {
				t.Fatal(err)
			}
			l := &rvLine{OrderID: o.ID}
			if err := repo.New(ex, rvLines.Table).Insert(ctx, l); err != nil {
				t.Fatal(err)
			}
			if err := repo.New(ex, rvNotes.Table).Insert(ctx, &rvNote{OrderID: o.ID, LineID: l.ID}); err != nil {
				t.Fatal(err)
			}
			return o
		}
		// The database alone deletes such an order.
		if err := repo.New(raw, rvOrders.Table).Delete(ctx, seed(raw)); err != nil {
			t.Fatalf("Delete on the plain handle (the database's own cascades): %v", err)
		}
		// The bound handle refuses it.
		if err := repo.New(db, rvOrders.Table).Delete(ctx, seed(db)); err != nil {
			t.Errorf("Delete on the bound handle: %v; want the order, its line and its note deleted", err)
		}
	})
}

// ---- self-referencing cascades ----

type rvNode struct {
	ID       int64
	ParentID *int64
	Name     string
	Kids     []*rvNode
}

type rvNodeTable struct {
	*mapped.Table[rvNode]
	ID       mapped.Column[rvNode, int64]
	ParentID mapped.NullableColumn[rvNode, int64]
	Name     mapped.Column[rvNode, string]
}

var rvNodes = mapped.Define("rv_node", func(t *mapped.Table[rvNode], n *rvNode) rvNodeTable {
	tb := rvNodeTable{ID: mapped.PrimaryKey(t, &n.ID), Name: mapped.Col(t, &n.Name)}
	tb.ParentID = mapped.NullableForeignKey(t, &n.ParentID, tb.ID)
	return tb
})

var rvNodeKids = relation.HasManyNullable(rvNodes.ParentID, func(n *rvNode) *[]*rvNode { return &n.Kids })

// TestReviewDeleteWhereCountWithSelfCascade: DeleteWhere returns "how many
// it deleted". Both rows match AllRows and both are deleted, but with a
// self-referencing cascade in the model the kid is deleted by the cascade
// (before the final DELETE by key) and not counted: DeleteWhere says 1.
// (On PostgreSQL the plain handle says 2; SQLite's own changes() also says
// 1 there, since its FK action deleted the kid, so only the bound handle
// is asserted.)
func TestReviewDeleteWhereCountWithSelfCascade(t *testing.T) {
	m := model.MustNew(model.Tables(rvNodes), model.OnDelete(rvNodeKids, mapped.Cascade))
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		db := m.Bind(raw)
		if err := m.CreateAll(ctx, db); err != nil {
			t.Fatal(err)
		}
		for _, ex := range []dialect.Executor{raw, db} {
			nodes := repo.New(ex, rvNodes.Table)
			root := &rvNode{Name: "root"}
			if err := nodes.Insert(ctx, root); err != nil {
				t.Fatal(err)
			}
			if err := nodes.Insert(ctx, &rvNode{Name: "kid", ParentID: &root.ID}); err != nil {
				t.Fatal(err)
			}
			n, err := nodes.DeleteWhere(ctx, query.AllRows[rvNode]())
			if err != nil {
				t.Fatal(err)
			}
			bound := model.Of(ex) != nil
			if !bound {
				t.Logf("plain handle: DeleteWhere(AllRows) said %d", n)
				continue
			}
			if n != 2 {
				t.Errorf("DeleteWhere(AllRows) of root and kid (bound=%v): %d deleted, want 2", bound, n)
			}
		}
	})
}

// TestReviewSelfReferencingRowCascade: a row whose parent is itself (a
// root that points at itself) is deleted by the database's ON DELETE
// CASCADE, but the model's cascade finds the row among its own children,
// recurses 1000 levels (1000 SELECTs) and refuses the delete.
func TestReviewSelfReferencingRowCascade(t *testing.T) {
	m := model.MustNew(model.Tables(rvNodes), model.OnDelete(rvNodeKids, mapped.Cascade))
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		db := m.Bind(raw)
		if err := m.CreateAll(ctx, db); err != nil {
			t.Fatal(err)
		}
		nodes := repo.New(db, rvNodes.Table)
		root := &rvNode{Name: "root"}
		if err := nodes.Insert(ctx, root); err != nil {
			t.Fatal(err)
		}
		root.ParentID = &root.ID
		if err := nodes.Update(ctx, root, rvNodes.ParentID); err != nil {
			t.Fatal(err)
		}
		if err := nodes.Delete(ctx, root); err != nil {
			t.Errorf("Delete of a row that is its own parent: %v", err)
		}
	})
}

// TestMappedDDLIsTheColumns checks what Bind's doc says of DDL: the
// model's CreateAll writes its cascades' ON DELETE, mapped.CreateAll the
// columns' own (none here), whatever handle it is given, so that the
// database's foreign key then refuses, on the plain handle, the delete the
// model would cascade.
func TestMappedDDLIsTheColumns(t *testing.T) {
	m := model.MustNew(model.Tables(shelves, boxes), model.OnDelete(shelfBoxes, mapped.Cascade))
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		for _, c := range []struct {
			name   string
			create func(db dialect.DB) error
			refuse bool
		}{
			{"mapped.CreateAll on the bound handle", func(db dialect.DB) error { return mapped.CreateAll(ctx, db, shelves, boxes) }, true},
			{"the model's CreateAll", func(db dialect.DB) error { return m.CreateAll(ctx, db) }, false},
		} {
			db := m.Bind(raw)
			if err := m.DropAll(ctx, db); err != nil {
				t.Fatal(err)
			}
			if err := c.create(db); err != nil {
				t.Fatal(err)
			}
			s := &shelf{Name: "s"}
			if err := repo.New(db, shelves.Table).Insert(ctx, s); err != nil {
				t.Fatal(err)
			}
			if err := repo.New(db, boxes.Table).Insert(ctx, &box{ShelfID: s.ID, Label: "b"}); err != nil {
				t.Fatal(err)
			}
			err := repo.New(raw, shelves.Table).Delete(ctx, s)
			if refused := errors.Is(err, dialect.ErrForeignKey); refused != c.refuse {
				t.Errorf("%s: plain delete: %v; want refused %v", c.name, err, c.refuse)
			}
		}
	})
}

// ---- Restrict reached by rows the same delete deletes ----

// rcTask has three foreign keys to its own table: a nullable parent whose
// delete cascades to its children, a nullable blocker and a NOT NULL
// owner (a row no one owns owns itself), both restricting the delete of
// the rows they reference.
type rcTask struct {
	ID        int64
	ParentID  *int64
	BlockerID *int64
	OwnerID   int64
	Name      string
}

type rcTaskTable struct {
	*mapped.Table[rcTask]
	ID        mapped.Column[rcTask, int64]
	ParentID  mapped.NullableColumn[rcTask, int64]
	BlockerID mapped.NullableColumn[rcTask, int64]
	OwnerID   mapped.Column[rcTask, int64]
	Name      mapped.Column[rcTask, string]
}

var rcTasks = mapped.Define("rc_task", func(t *mapped.Table[rcTask], r *rcTask) rcTaskTable {
	tb := rcTaskTable{ID: mapped.PrimaryKey(t, &r.ID, mapped.Manual())}
	tb.ParentID = mapped.NullableForeignKey(t, &r.ParentID, tb.ID)
	tb.BlockerID = mapped.NullableForeignKey(t, &r.BlockerID, tb.ID)
	tb.OwnerID = mapped.ForeignKey(t, &r.OwnerID, tb.ID)
	tb.Name = mapped.Col(t, &r.Name)
	return tb
})

var rcModel = model.MustNew(model.Tables(rcTasks),
	model.OnDelete(relation.HasManyNullable(rcTasks.ParentID, func(*rcTask) *[]*rcTask { return new([]*rcTask) }), mapped.Cascade),
	model.OnDelete(relation.HasManyNullable(rcTasks.BlockerID, func(*rcTask) *[]*rcTask { return new([]*rcTask) }), mapped.Restrict),
	model.OnDelete(relation.HasMany(rcTasks.OwnerID, func(*rcTask) *[]*rcTask { return new([]*rcTask) }), mapped.Restrict))

// rcRow is a task by name, with its parent, blocker and owner by name
// ("" for none; a task without an owner owns itself).
type rcRow struct{ name, parent, blocker, owner string }

// rcSeed inserts rows, each its own owner, then points them at each other.
func rcSeed(ctx context.Context, r *repo.Repo[rcTask], rows []rcRow) (map[string]*rcTask, error) {
	byName := map[string]*rcTask{}
	all := make([]*rcTask, len(rows))
	for i, row := range rows {
		all[i] = &rcTask{ID: int64(i + 1), OwnerID: int64(i + 1), Name: row.name}
		byName[row.name] = all[i]
	}
	if err := r.InsertMany(ctx, all); err != nil {
		return nil, err
	}
	for i, row := range rows {
		t := all[i]
		if p := byName[row.parent]; p != nil {
			t.ParentID = &p.ID
		}
		if b := byName[row.blocker]; b != nil {
			t.BlockerID = &b.ID
		}
		if o := byName[row.owner]; o != nil {
			t.OwnerID = o.ID
		}
		if err := r.Update(ctx, t); err != nil {
			return nil, err
		}
	}
	return byName, nil
}

// TestReviewRestrictSkipsRowsBeingDeleted: Restrict refuses a delete that
// would leave rows referencing the deleted ones. Rows that the same
// delete deletes do not count: those it began with (DeleteWhere) and
// those of the outer levels of its cascade, deleted, in the database's
// own order, before the rows they reference. Before, Restrict counted
// them and refused (a task whose blocker or owner is its own grandchild,
// a DeleteWhere of a task and of the task blocked by its child), or let
// the database refuse on SQLite, whose ON DELETE RESTRICT is checked at
// each row (a DeleteWhere of a task and of the task it blocks): the rows
// being deleted are now pointed away from the rows deleted before them,
// as a cascade's are. A row that stays still refuses the delete, and
// PostgreSQL's own ON DELETE (the plain handle on the model's tables)
// agrees in every case.
func TestReviewRestrictSkipsRowsBeingDeleted(t *testing.T) {
	kept := rcRow{name: "k"}
	for _, c := range []struct {
		name    string
		rows    []rcRow
		delete  []string // one name: Delete; several: DeleteWhere
		refused bool
		n       int64 // what DeleteWhere says
	}{
		{"a task blocked by its grandchild", []rcRow{{name: "r"}, {name: "a", parent: "r", blocker: "b"}, {name: "b", parent: "a"}, kept},
			[]string{"r"}, false, 0},
		{"a task owned by its grandchild", []rcRow{{name: "r"}, {name: "a", parent: "r", owner: "b"}, {name: "b", parent: "a"}, kept},
			[]string{"r"}, false, 0},
		{"DeleteWhere of a task and of the task blocked by its child", []rcRow{{name: "r"}, {name: "a", parent: "r"}, {name: "x", blocker: "a"}, kept},
			[]string{"r", "x"}, false, 2},
		{"DeleteWhere of a task and of the task owned by its child", []rcRow{{name: "r"}, {name: "a", parent: "r"}, {name: "x", owner: "a"}, kept},
			[]string{"r", "x"}, false, 2},
		{"DeleteWhere of a task and of the task it blocks", []rcRow{{name: "r"}, {name: "x", blocker: "r"}, kept},
			[]string{"r", "x"}, false, 2},
		{"DeleteWhere of a task and of the task it owns", []rcRow{{name: "r"}, {name: "x", owner: "r"}, kept},
			[]string{"r", "x"}, false, 2},
		{"a task whose child blocks a task that stays", []rcRow{{name: "r"}, {name: "a", parent: "r"}, {name: "x", blocker: "a"}, kept},
			[]string{"r"}, true, 0},
		{"a task whose child owns a task that stays", []rcRow{{name: "r"}, {name: "a", parent: "r"}, {name: "x", owner: "a"}, kept},
			[]string{"r"}, true, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, raw dialect.DB) {
				ctx := context.Background()
				for _, run := range []struct{ ddl, handle string }{{"model", "bound"}, {"mapped", "bound"}, {"model", "plain"}} {
					if run.handle == "plain" && raw.Dialect().Name() != "postgres" {
						continue // SQLite's ON DELETE RESTRICT is checked at each row, not at the statement's end
					}
					what := run.ddl + " DDL, " + run.handle + " handle"
					ex := dialect.Executor(raw)
					if run.handle == "bound" {
						ex = rcModel.Bind(raw)
					}
					// Rows a refused delete left would keep SQLite from
					// dropping the table.
					_, _ = raw.Exec(ctx, "UPDATE rc_task SET parent_id = NULL, blocker_id = NULL, owner_id = id")
					if err := rcModel.DropAll(ctx, raw); err != nil {
						t.Fatal(err)
					}
					var err error
					if run.ddl == "mapped" {
						err = mapped.CreateAll(ctx, raw, rcTasks)
					} else {
						err = rcModel.CreateAll(ctx, raw)
					}
					if err != nil {
						t.Fatal(err)
					}
					r := repo.New(ex, rcTasks.Table)
					tasks, err := rcSeed(ctx, r, c.rows)
					if err != nil {
						t.Fatalf("%s: seed: %v", what, err)
					}
					var n int64
					if len(c.delete) == 1 {
						err = r.Delete(ctx, tasks[c.delete[0]])
					} else {
						n, err = r.DeleteWhere(ctx, rcTasks.Name.In(c.delete...))
					}
					want := []string{"k"}
					switch {
					case c.refused && run.handle == "bound":
						if !errors.Is(err, model.ErrRestricted) {
							t.Errorf("%s: delete %v: %v, want ErrRestricted", what, c.delete, err)
						}
						want = nil
					case c.refused:
						if !errors.Is(err, dialect.ErrForeignKey) {
							t.Errorf("%s: delete %v: %v, want the database's refusal", what, c.delete, err)
						}
						want = nil
					case err != nil:
						t.Errorf("%s: delete %v: %v", what, c.delete, err)
					case n != c.n && run.handle == "bound":
						t.Errorf("%s: DeleteWhere of %v: %d, want %d", what, c.delete, n, c.n)
					}
					all, err := repo.New(raw, rcTasks.Table).OrderBy(rcTasks.ID.Asc()).All(ctx)
					if err != nil {
						t.Fatal(err)
					}
					var left []string
					for _, x := range all {
						left = append(left, x.Name)
					}
					if want == nil {
						for _, row := range c.rows {
							want = append(want, row.name)
						}
					}
					if !slices.Equal(left, want) {
						t.Errorf("%s: after deleting %v: left %v, want %v", what, c.delete, left, want)
					}
				}
			})
		})
	}
}

// TestReviewRestrictManyCompositeRows: DeleteWhere of a composite-key
// tree of 17,000 rows, each a child of the root, through a model whose
// rule over the tree is Restrict. Its rows are more than one statement
// may name by their two key columns, and the rule, unable to leave them
// out of the children it looks for, found the rows deleted and refused.
// A row that stays (another tenant's child of the root) still refuses
// the delete, which deletes nothing.
func TestReviewRestrictManyCompositeRows(t *testing.T) {
	const n = 17000
	m := model.MustNew(model.Tables(cyCNodes), model.OnDelete(cyCNodeKids, mapped.Restrict))
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		db := m.Bind(raw)
		if err := m.CreateAll(ctx, db); err != nil {
			t.Fatal(err)
		}
		nodes := repo.New(db, cyCNodes.Table)
		rows := make([]*cyCNode, n+1)
		rows[0] = &cyCNode{Tenant: 1, No: n + 1, Code: "root", Name: "root"}
		for i := 1; i <= n; i++ {
			rows[i] = &cyCNode{Tenant: 1, No: int64(i), Code: fmt.Sprint("k", i), ParentCode: &rows[0].Code, Name: "kid"}
		}
		apart := &cyCNode{Tenant: 2, No: 1, Code: "apart", ParentCode: &rows[0].Code, Name: "apart"}
		if err := nodes.InsertMany(ctx, append(rows, apart)); err != nil {
			t.Fatal(err)
		}
		_, err := nodes.DeleteWhere(ctx, cyCNodes.Tenant.Eq(1))
		if !errors.Is(err, model.ErrRestricted) {
			t.Errorf("DeleteWhere of the tree, another tenant's row under its root: %v, want ErrRestricted", err)
		}
		if got, err := nodes.Count(ctx); err != nil || got != n+2 {
			t.Errorf("rows after the refused delete: %d, %v; want %d", got, err, n+2)
		}
		apart.ParentCode = nil
		if err := nodes.Update(ctx, apart, cyCNodes.ParentCode); err != nil {
			t.Fatal(err)
		}
		if got, err := nodes.DeleteWhere(ctx, cyCNodes.Tenant.Eq(1)); err != nil || got != n+1 {
			t.Errorf("DeleteWhere of the tree: %d, %v; want %d", got, err, n+1)
		}
		left, err := nodes.All(ctx)
		if err != nil || len(left) != 1 || left[0].Name != "apart" {
			t.Errorf("left: %d rows, %v; want the row apart", len(left), err)
		}
	})
}

// ---- the rules of a many-to-many relation's association rows ----

// The students, courses, enrollments and grades are those of
// internal/fixtures/school.

// TestReviewLinksRunTheAssociationRowsRules: deleting a student or a
// course through a model with Links deletes their enrollments, the
// association rows, which grades reference; the model cascades an
// enrollment's delete to its grades, or restricts it. Links deleted the
// enrollments with a plain DELETE, which ran none of their rules: the
// database decided instead, refusing on tables without ON DELETE (or
// RESTRICT ones) what the cascading model deletes, and, on tables whose
// ON DELETE CASCADE another model over them wrote, deleting the grades
// that the restricting model protects. Links now runs the association
// rows' rules first, as a cascade does, whatever the tables declare.
func TestReviewLinksRunTheAssociationRowsRules(t *testing.T) {
	cascading, restricting := school.Models()
	models := map[string]*model.Model{"cascading": cascading, "restricting": restricting}
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		for _, ddl := range []string{"mapped", "cascading", "restricting"} {
			for _, name := range []string{"cascading", "restricting"} {
				for _, side := range []string{"student", "course"} {
					what := fmt.Sprintf("%s model on %s DDL, deleting the %s", name, ddl, side)
					school.Reset(ctx, t, raw, models[ddl]) // models["mapped"] is nil: the tables' own DDL
					db := models[name].Bind(raw)
					var err error
					if side == "student" {
						err = repo.New(db, school.Students.Table).Delete(ctx, &school.Student{ID: 1})
					} else {
						err = repo.New(db, school.Courses.Table).Delete(ctx, &school.Course{ID: 1})
					}
					// Student 1 takes courses 1 and 2, graded in 1; student
					// 2 takes course 1, graded.
					want := [4]int64{2, 2, 3, 2} // students, courses, enrollments, grades
					switch {
					case name == "restricting":
						if !errors.Is(err, model.ErrRestricted) {
							t.Errorf("%s: %v, want ErrRestricted", what, err)
						}
					case err != nil:
						t.Errorf("%s: %v", what, err)
					case side == "student":
						want = [4]int64{1, 2, 1, 1}
					default:
						want = [4]int64{2, 1, 1, 0}
					}
					if got := school.Counts(t, raw); got != want {
						t.Errorf("%s: students, courses, enrollments, grades: %v, want %v", what, got, want)
					}
				}
			}
		}
	})
}

// ---- association rows referencing a unique column that is not the key ----

type rcProject struct {
	ID    int64
	Depts []*rvDept
}

type rcProjectTable struct {
	*mapped.Table[rcProject]
	ID mapped.Column[rcProject, int64]
}

// rcAssignment relates a project and a department by the department's
// number, a unique column other than its key.
type rcAssignment struct {
	ProjectID, DeptNumber int64
}

type rcAssignmentTable struct {
	*mapped.Table[rcAssignment]
	ProjectID, DeptNumber mapped.Column[rcAssignment, int64]
}

var rcProjects = mapped.Define("rc_project", func(t *mapped.Table[rcProject], p *rcProject) rcProjectTable {
	return rcProjectTable{ID: mapped.PrimaryKey(t, &p.ID)}
})

var rcAssignments = mapped.Define("rc_assignment", func(t *mapped.Table[rcAssignment], a *rcAssignment) rcAssignmentTable {
	return rcAssignmentTable{ProjectID: mapped.ForeignKey(t, &a.ProjectID, rcProjects.ID, mapped.InPrimaryKey()),
		DeptNumber: mapped.ForeignKey(t, &a.DeptNumber, rvDepts.Number, mapped.InPrimaryKey())}
})

var rcProjectDepts = relation.ManyToManyThrough(rcAssignments.ProjectID, rcAssignments.DeptNumber,
	func(p *rcProject) *[]*rvDept { return &p.Depts })

// TestReviewLinksFromStoredRows: Links deletes a department's assignments
// to projects, association rows that name the department by its number,
// a unique column other than its key. repo.Delete deletes "the stored row
// with row's primary key", so a row holding only its key is a valid
// argument; Links took the number from the row given (0), not from the
// stored row, and deleted the assignments of department 0, another
// department, leaving department 7's, which then refused the delete
// (or, had it none, the delete went through, silently). OnDelete reads the
// stored rows in that case; Links now does too.
func TestReviewLinksFromStoredRows(t *testing.T) {
	m := model.MustNew(model.Tables(rvDepts, rcProjects, rcAssignments), model.Links(rcProjectDepts))
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		db := m.Bind(raw)
		if err := m.CreateAll(ctx, db); err != nil {
			t.Fatal(err)
		}
		depts := []*rvDept{{Number: 7}, {Number: 0}, {Number: 8}}
		if err := repo.New(db, rvDepts.Table).InsertMany(ctx, depts); err != nil {
			t.Fatal(err)
		}
		if err := repo.New(db, rcProjects.Table).Insert(ctx, &rcProject{}); err != nil {
			t.Fatal(err)
		}
		if err := repo.New(db, rcAssignments.Table).InsertMany(ctx, []*rcAssignment{{1, 7}, {1, 0}}); err != nil {
			t.Fatal(err)
		}
		assignments := func() []int64 {
			t.Helper()
			all, err := repo.New(db, rcAssignments.Table).OrderBy(rcAssignments.DeptNumber.Asc()).All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, a := range all {
				out = append(out, a.DeptNumber)
			}
			return out
		}
		// Department 7 by its key alone: its assignment goes, 0's stays.
		if err := repo.New(db, rvDepts.Table).Delete(ctx, &rvDept{ID: depts[0].ID}); err != nil {
			t.Errorf("Delete of department 7 by its key: %v", err)
		}
		if got := assignments(); !slices.Equal(got, []int64{0}) {
			t.Errorf("assignments after deleting department 7: %v, want [0]", got)
		}
		// Department 8, which has none, by its key alone: 0's stays.
		if err := repo.New(db, rvDepts.Table).Delete(ctx, &rvDept{ID: depts[2].ID}); err != nil {
			t.Errorf("Delete of department 8 by its key: %v", err)
		}
		if got := assignments(); !slices.Equal(got, []int64{0}) {
			t.Errorf("assignments after deleting department 8: %v, want [0]", got)
		}
	})
}
