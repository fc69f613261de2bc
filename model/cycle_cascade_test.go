package model_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

// ---- cascades through rows that reference each other in a cycle ----

// Three self-referencing tables cascading to their children: cy_node by
// a nullable key to its integer primary key, cy_ring by a NOT NULL one
// (a root is its own parent), and cy_cnode, keyed by (tenant, no), by a
// nullable key to its unique code (a foreign key is one column: a
// composite self-reference cannot be mapped, so the composite-key table
// references itself through a unique column).

type cyNode struct {
	ID       int64
	ParentID *int64
	Name     string
}

type cyNodeTable struct {
	*mapped.Table[cyNode]
	ID       mapped.Column[cyNode, int64]
	ParentID mapped.NullableColumn[cyNode, int64]
	Name     mapped.Column[cyNode, string]
}

var cyNodes = mapped.Define("cy_node", func(t *mapped.Table[cyNode], n *cyNode) cyNodeTable {
	tb := cyNodeTable{ID: mapped.PrimaryKey(t, &n.ID), Name: mapped.Col(t, &n.Name)}
	tb.ParentID = mapped.NullableForeignKey(t, &n.ParentID, tb.ID)
	return tb
})

var cyNodeKids = relation.HasManyNullable(cyNodes.ParentID, func(*cyNode) *[]*cyNode { return new([]*cyNode) })

type cyRing struct {
	ID     int64
	NextID int64
	Name   string
}

type cyRingTable struct {
	*mapped.Table[cyRing]
	ID     mapped.Column[cyRing, int64]
	NextID mapped.Column[cyRing, int64]
	Name   mapped.Column[cyRing, string]
}

var cyRings = mapped.Define("cy_ring", func(t *mapped.Table[cyRing], r *cyRing) cyRingTable {
	tb := cyRingTable{ID: mapped.PrimaryKey(t, &r.ID, mapped.Manual()), Name: mapped.Col(t, &r.Name)}
	tb.NextID = mapped.ForeignKey(t, &r.NextID, tb.ID)
	return tb
})

var cyRingKids = relation.HasMany(cyRings.NextID, func(*cyRing) *[]*cyRing { return new([]*cyRing) })

type cyCNode struct {
	Tenant     int64
	No         int64
	Code       string
	ParentCode *string
	Name       string
}

type cyCNodeTable struct {
	*mapped.Table[cyCNode]
	Tenant     mapped.Column[cyCNode, int64]
	No         mapped.Column[cyCNode, int64]
	Code       mapped.Column[cyCNode, string]
	ParentCode mapped.NullableColumn[cyCNode, string]
	Name       mapped.Column[cyCNode, string]
}

var cyCNodes = mapped.Define("cy_cnode", func(t *mapped.Table[cyCNode], n *cyCNode) cyCNodeTable {
	tb := cyCNodeTable{Tenant: mapped.PrimaryKey(t, &n.Tenant), No: mapped.PrimaryKey(t, &n.No),
		Code: mapped.Col(t, &n.Code, mapped.Unique()), Name: mapped.Col(t, &n.Name)}
	tb.ParentCode = mapped.NullableForeignKey(t, &n.ParentCode, tb.Code, mapped.Index())
	return tb
})

var cyCNodeKids = relation.HasManyNullable(cyCNodes.ParentCode, func(*cyCNode) *[]*cyCNode { return new([]*cyCNode) })

var cyModel = model.MustNew(model.Tables(cyNodes, cyRings, cyCNodes),
	model.OnDelete(cyNodeKids, mapped.Cascade), model.OnDelete(cyRingKids, mapped.Cascade),
	model.OnDelete(cyCNodeKids, mapped.Cascade))

// cySpec is a forest by name: each row's parent, "" for none.
type cySpec map[string]string

// cyStore is one of the three tables, seeded from a cySpec.
type cyStore interface {
	// table is the table, for CreateAll and DropAll.
	table() mapped.Schema
	// seed inserts the rows of spec, then points each at its parent.
	seed(ctx context.Context, spec cySpec) error
	// remove deletes the row named name with repo.Delete.
	remove(ctx context.Context, name string) error
	// removeWhere deletes the rows named with repo.DeleteWhere.
	removeWhere(ctx context.Context, names ...string) (int64, error)
	// left reads every row back: its parent by name.
	left(ctx context.Context) (cySpec, error)
}

type cyNodeStore struct {
	r    *repo.Repo[cyNode]
	rows map[string]*cyNode
}

func (s *cyNodeStore) table() mapped.Schema { return cyNodes }

func (s *cyNodeStore) seed(ctx context.Context, spec cySpec) error {
	s.rows = map[string]*cyNode{}
	return cySeed(spec, s.rows, func(name string, parent *cyNode) *cyNode {
		n := &cyNode{Name: name}
		if parent != nil {
			n.ParentID = &parent.ID
		}
		return n
	}, func(rows []*cyNode) error { return s.r.InsertMany(ctx, rows) }, func(row, parent *cyNode) error {
		row.ParentID = &parent.ID
		return s.r.Update(ctx, row, cyNodes.ParentID)
	})
}

func (s *cyNodeStore) remove(ctx context.Context, name string) error {
	return s.r.Delete(ctx, s.rows[name])
}

func (s *cyNodeStore) removeWhere(ctx context.Context, names ...string) (int64, error) {
	return s.r.DeleteWhere(ctx, query.In[cyNode](cyNodes.Name, names))
}

func (s *cyNodeStore) left(ctx context.Context) (cySpec, error) {
	all, err := s.r.All(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[int64]string{}
	for _, n := range all {
		byID[n.ID] = n.Name
	}
	out := cySpec{}
	for _, n := range all {
		out[n.Name] = ""
		if n.ParentID != nil {
			out[n.Name] = byID[*n.ParentID]
		}
	}
	return out, nil
}

// cyRingStore makes a row without a parent its own parent: the key is
// NOT NULL.
type cyRingStore struct {
	r    *repo.Repo[cyRing]
	rows map[string]*cyRing
	spec cySpec
}

func (s *cyRingStore) table() mapped.Schema { return cyRings }

func (s *cyRingStore) seed(ctx context.Context, spec cySpec) error {
	s.rows, s.spec = map[string]*cyRing{}, spec
	ids := map[string]int64{}
	for i, name := range slices.Sorted(maps.Keys(spec)) {
		ids[name] = int64(i + 1)
	}
	return cySeed(spec, s.rows, func(name string, parent *cyRing) *cyRing {
		r := &cyRing{ID: ids[name], NextID: ids[name], Name: name}
		if parent != nil {
			r.NextID = parent.ID
		}
		return r
	}, func(rows []*cyRing) error { return s.r.InsertMany(ctx, rows) }, func(row, parent *cyRing) error {
		row.NextID = parent.ID
		return s.r.Update(ctx, row, cyRings.NextID)
	})
}

func (s *cyRingStore) remove(ctx context.Context, name string) error {
	return s.r.Delete(ctx, s.rows[name])
}

func (s *cyRingStore) removeWhere(ctx context.Context, names ...string) (int64, error) {
	return s.r.DeleteWhere(ctx, query.In[cyRing](cyRings.Name, names))
}

func (s *cyRingStore) left(ctx context.Context) (cySpec, error) {
	all, err := s.r.All(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[int64]string{}
	for _, n := range all {
		byID[n.ID] = n.Name
	}
	out := cySpec{}
	for _, n := range all {
		if out[n.Name] = byID[n.NextID]; out[n.Name] == n.Name && s.spec[n.Name] == "" {
			out[n.Name] = "" // a root, its own parent
		}
	}
	return out, nil
}

type cyCNodeStore struct {
	r    *repo.Repo[cyCNode]
	rows map[string]*cyCNode
}

func (s *cyCNodeStore) table() mapped.Schema { return cyCNodes }

func (s *cyCNodeStore) seed(ctx context.Context, spec cySpec) error {
	s.rows = map[string]*cyCNode{}
	nos := map[string]int64{}
	for i, name := range slices.Sorted(maps.Keys(spec)) {
		nos[name] = int64(i + 1)
	}
	return cySeed(spec, s.rows, func(name string, parent *cyCNode) *cyCNode {
		n := &cyCNode{Tenant: 7, No: nos[name], Code: "c-" + name, Name: name}
		if parent != nil {
			n.ParentCode = &parent.Code
		}
		return n
	}, func(rows []*cyCNode) error { return s.r.InsertMany(ctx, rows) }, func(row, parent *cyCNode) error {
		row.ParentCode = &parent.Code
		return s.r.Update(ctx, row, cyCNodes.ParentCode)
	})
}

// remove deletes the row by its key alone, as repo.Delete allows: the
// cascade reads the stored code.
func (s *cyCNodeStore) remove(ctx context.Context, name string) error {
	r := s.rows[name]
	return s.r.Delete(ctx, &cyCNode{Tenant: r.Tenant, No: r.No})
}

func (s *cyCNodeStore) removeWhere(ctx context.Context, names ...string) (int64, error) {
	return s.r.DeleteWhere(ctx, query.In[cyCNode](cyCNodes.Name, names))
}

func (s *cyCNodeStore) left(ctx context.Context) (cySpec, error) {
	all, err := s.r.All(ctx)
	if err != nil {
		return nil, err
	}
	out := cySpec{}
	for _, n := range all {
		out[n.Name] = ""
		if n.ParentCode != nil {
			out[n.Name] = strings.TrimPrefix(*n.ParentCode, "c-")
		}
	}
	return out, nil
}

// cySeed inserts the rows of spec into rows, made by mk with their parent
// (nil for none, or not inserted yet), with insert: a row after its
// parent, a layer of the forest at a time. Rows in cycles, and rows that
// are their own parent, are inserted last without their parent, then
// pointed at it.
func cySeed[T any](spec cySpec, rows map[string]*T, mk func(name string, parent *T) *T,
	insert func(rows []*T) error, point func(row, parent *T) error) error {
	for {
		var layer []string
		for _, name := range slices.Sorted(maps.Keys(spec)) {
			parent := spec[name]
			if _, done := rows[name]; done || parent == name {
				continue
			}
			if _, ok := rows[parent]; parent == "" || ok {
				layer = append(layer, name)
			}
		}
		if len(layer) == 0 {
			break
		}
		made := make([]*T, len(layer))
		for i, name := range layer {
			made[i] = mk(name, rows[spec[name]])
		}
		if err := insert(made); err != nil {
			return err
		}
		for i, name := range layer {
			rows[name] = made[i]
		}
	}
	var rest []string
	var layer []*T
	for _, name := range slices.Sorted(maps.Keys(spec)) {
		if _, done := rows[name]; !done {
			rest = append(rest, name)
			rows[name] = mk(name, nil)
			layer = append(layer, rows[name])
		}
	}
	if len(layer) == 0 {
		return nil
	}
	if err := insert(layer); err != nil {
		return err
	}
	for _, name := range rest {
		if err := point(rows[name], rows[spec[name]]); err != nil {
			return err
		}
	}
	return nil
}

// cyStores returns the three stores over ex.
func cyStores(ex dialect.Executor) map[string]cyStore {
	return map[string]cyStore{
		"nullable key":  &cyNodeStore{r: repo.New(ex, cyNodes.Table)},
		"NOT NULL key":  &cyRingStore{r: repo.New(ex, cyRings.Table)},
		"composite key": &cyCNodeStore{r: repo.New(ex, cyCNodes.Table)},
	}
}

// cyForest: a ↔ b, with e under a and f → g under b; p → q → r → p with
// t under q; s its own parent; c → d and x apart.
var cyForest = cySpec{
	"a": "b", "b": "a", "e": "a", "f": "b", "g": "f",
	"p": "r", "q": "p", "r": "q", "t": "q",
	"s": "s",
	"c": "", "d": "c", "x": "",
}

// only returns the rows of spec named, with their parents.
func only(spec cySpec, names ...string) cySpec {
	out := cySpec{}
	for _, n := range names {
		out[n] = spec[n]
	}
	return out
}

// TestCascadeThroughCycle deletes rows in cycles through a handle bound to
// a model cascading to a row's children, on each of the three tables,
// tables created by the model (ON DELETE CASCADE: the plain handle is the
// database's own cascade, which the bound one must agree with) and by
// mapped.CreateAll (no ON DELETE: only the model's cascade deletes). Each
// delete must take the rows the cascade reaches and leave every other row
// as it was. Before, a cycle was cascaded into again and again, 1000
// levels deep, and the delete refused.
func TestCascadeThroughCycle(t *testing.T) {
	type step struct {
		remove []string // one name: Delete; several: DeleteWhere of them
		n      int64    // what DeleteWhere says
		left   []string
	}
	for _, c := range []struct {
		name  string
		steps []step
	}{
		{"Delete one row of each cycle", []step{
			{remove: []string{"a"}, left: []string{"c", "d", "p", "q", "r", "s", "t", "x"}},
			{remove: []string{"q"}, left: []string{"c", "d", "s", "x"}},
			{remove: []string{"s"}, left: []string{"c", "d", "x"}},
			{remove: []string{"c"}, left: []string{"x"}},
		}},
		{"DeleteWhere matching every row of a cycle", []step{
			{remove: []string{"a", "b"}, n: 2, left: []string{"c", "d", "p", "q", "r", "s", "t", "x"}},
			{remove: []string{"p", "q", "r", "s"}, n: 4, left: []string{"c", "d", "x"}},
		}},
		{"DeleteWhere matching one row of a cycle", []step{
			{remove: []string{"b", "x"}, n: 2, left: []string{"c", "d", "p", "q", "r", "s", "t"}},
			{remove: []string{"r", "d"}, n: 2, left: []string{"c", "s"}},
		}},
		{"DeleteWhere matching a row and its child", []step{
			{remove: []string{"a", "e", "q", "t"}, n: 4, left: []string{"c", "d", "s", "x"}},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, raw dialect.DB) {
				ctx := context.Background()
				db := cyModel.Bind(raw)
				for _, ddl := range []string{"model", "mapped"} {
					for _, handle := range []string{"plain", "bound"} {
						if handle == "plain" && ddl == "mapped" {
							continue // no cascade at all
						}
						ex := dialect.Executor(db)
						if handle == "plain" {
							ex = raw
						}
						for kind, s := range cyStores(ex) {
							what := fmt.Sprintf("%s DDL, %s handle, %s", ddl, handle, kind)
							if err := cyModel.DropAll(ctx, raw, s.table()); err != nil {
								t.Fatal(err)
							}
							create := cyModel.CreateAll
							if ddl == "mapped" {
								create = func(ctx context.Context, ex dialect.Executor, ts ...mapped.Schema) error {
									return mapped.CreateAll(ctx, ex, ts...)
								}
							}
							if err := create(ctx, raw, s.table()); err != nil {
								t.Fatal(err)
							}
							if err := s.seed(ctx, cyForest); err != nil {
								t.Fatalf("%s: seed: %v", what, err)
							}
							for _, st := range c.steps {
								var err error
								if len(st.remove) == 1 {
									err = s.remove(ctx, st.remove[0])
								} else {
									var n int64
									n, err = s.removeWhere(ctx, st.remove...)
									if err == nil && handle == "bound" && n != st.n {
										t.Errorf("%s: DeleteWhere of %v: %d, want %d", what, st.remove, n, st.n)
									}
								}
								if err != nil {
									t.Errorf("%s: delete %v: %v", what, st.remove, err)
									break
								}
								got, err := s.left(ctx)
								if err != nil {
									t.Fatal(err)
								}
								if want := only(cyForest, st.left...); !maps.Equal(got, want) {
									t.Errorf("%s: after deleting %v: left %v, want %v", what, st.remove, got, want)
									break
								}
							}
						}
					}
				}
			})
		})
	}
}

// TestCascadeCycleInTransaction deletes a row of a cycle inside a
// caller's transaction, which is rolled back: every row is back.
func TestCascadeCycleInTransaction(t *testing.T) {
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		db := cyModel.Bind(raw)
		if err := cyModel.CreateAll(ctx, db, cyNodes); err != nil {
			t.Fatal(err)
		}
		s := &cyNodeStore{r: repo.New(db, cyNodes.Table)}
		if err := s.seed(ctx, cyForest); err != nil {
			t.Fatal(err)
		}
		err := dialect.InTx(ctx, db, func(tx dialect.Executor) error {
			if err := repo.New(tx, cyNodes.Table).Delete(ctx, s.rows["a"]); err != nil {
				return err
			}
			if n, err := repo.New(tx, cyNodes.Table).Count(ctx); err != nil || n != 8 {
				t.Errorf("rows inside the transaction: %d, %v; want 8", n, err)
			}
			return errRollBack
		})
		if !errors.Is(err, errRollBack) {
			t.Fatalf("InTx: %v", err)
		}
		got, err := s.left(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(got, cyForest) {
			t.Errorf("after the rollback: %v, want %v", got, cyForest)
		}
	})
}

var errRollBack = errors.New("roll back")

// TestCascadeWideTree deletes a tree of 1,200 rows, each of the first 600
// the parent of two, through the bound handle: its root with Delete (every
// row a child of an earlier level) and the whole tree with DeleteWhere
// (every row but the root a child of one of the rows matched), with the
// integer key and with the composite one, whose rows a cascade names a few
// hundred at a time (SQLite's expression depth, the statement's parameters).
func TestCascadeWideTree(t *testing.T) {
	const n = 1200
	spec := cySpec{"n0": ""}
	for i := 1; i < n; i++ {
		spec[fmt.Sprint("n", i)] = fmt.Sprint("n", (i-1)/2)
	}
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		db := cyModel.Bind(raw)
		for kind, s := range cyStores(db) {
			if kind == "NOT NULL key" {
				continue // the same as the nullable one here
			}
			for _, all := range []bool{false, true} {
				if err := cyModel.DropAll(ctx, raw, s.table()); err != nil {
					t.Fatal(err)
				}
				if err := cyModel.CreateAll(ctx, raw, s.table()); err != nil {
					t.Fatal(err)
				}
				if err := s.seed(ctx, spec); err != nil {
					t.Fatal(err)
				}
				if all {
					names := slices.Collect(maps.Keys(spec))
					if got, err := s.removeWhere(ctx, names...); err != nil || got != n {
						t.Errorf("%s: DeleteWhere of the tree: %d, %v; want %d", kind, got, err, n)
					}
				} else if err := s.remove(ctx, "n0"); err != nil {
					t.Errorf("%s: Delete of the root: %v", kind, err)
				}
				if got, err := s.left(ctx); err != nil || len(got) != 0 {
					t.Errorf("%s (DeleteWhere %v): %d rows left, %v; want none", kind, all, len(got), err)
				}
			}
		}
	})
}

// TestCascadeManyCompositeRowsInACycle deletes the root of a composite-key
// tree of 33,000 children, the last of which is the root's parent: the
// rows a level of the cascade excludes are more than one statement may
// name by their two key columns (PostgreSQL's 65,535 parameters, SQLite's
// 32,766), so the cascade tells them apart itself.
func TestCascadeManyCompositeRowsInACycle(t *testing.T) {
	const n = 33000
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		db := cyModel.Bind(raw)
		if err := cyModel.CreateAll(ctx, db, cyCNodes); err != nil {
			t.Fatal(err)
		}
		nodes := repo.New(db, cyCNodes.Table)
		rows := make([]*cyCNode, n+2)
		rows[0] = &cyCNode{Tenant: 1, No: n + 1, Code: "root", Name: "root"}
		for i := 1; i <= n; i++ {
			rows[i] = &cyCNode{Tenant: 1, No: int64(i), Code: fmt.Sprint("k", i), ParentCode: &rows[0].Code, Name: "kid"}
		}
		rows[n+1] = &cyCNode{Tenant: 2, No: 1, Code: "apart", Name: "apart"}
		if err := nodes.InsertMany(ctx, rows); err != nil {
			t.Fatal(err)
		}
		rows[0].ParentCode = &rows[n].Code
		if err := nodes.Update(ctx, rows[0], cyCNodes.ParentCode); err != nil {
			t.Fatal(err)
		}
		if err := nodes.Delete(ctx, rows[0]); err != nil {
			t.Fatalf("Delete of the root: %v", err)
		}
		left, err := nodes.All(ctx)
		if err != nil || len(left) != 1 || left[0].Name != "apart" {
			t.Errorf("left: %d rows, %v; want the row apart", len(left), err)
		}
	})
}

// TestCascadeDepthLimit: a chain deeper than 1000 levels (no cycle) is
// still refused by the depth limit, as the last resort, deleting nothing.
func TestCascadeDepthLimit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, raw dialect.DB) {
		ctx := context.Background()
		db := cyModel.Bind(raw)
		if err := cyModel.CreateAll(ctx, db, cyNodes); err != nil {
			t.Fatal(err)
		}
		spec := cySpec{"n0": ""}
		for i := 1; i <= 1005; i++ {
			spec[fmt.Sprint("n", i)] = fmt.Sprint("n", i-1)
		}
		s := &cyNodeStore{r: repo.New(db, cyNodes.Table)}
		if err := s.seed(ctx, spec); err != nil {
			t.Fatal(err)
		}
		err := s.remove(ctx, "n0")
		if err == nil || !strings.Contains(err.Error(), "deeper than 1000 levels") {
			t.Errorf("Delete of a chain of 1006 rows: %v, want the depth limit's error", err)
		}
		if got, err := s.left(ctx); err != nil || len(got) != len(spec) {
			t.Errorf("rows left: %d, %v; want %d", len(got), err, len(spec))
		}
	})
}

// TestRestrictAndSetNullOwnParent deletes, through models that restrict
// or set NULL instead of cascading, a row that is its own parent (not its
// own child: the delete goes ahead) and a row with another child (refused
// by Restrict, its child released by SetNull), with the integer key and
// with the composite one, whose parents a rule left among their children
// before.
func TestRestrictAndSetNullOwnParent(t *testing.T) {
	for _, a := range []mapped.Action{mapped.Restrict, mapped.SetNull} {
		m := model.MustNew(model.Tables(cyNodes, cyCNodes), model.OnDelete(cyNodeKids, a), model.OnDelete(cyCNodeKids, a))
		t.Run(a.SQL(), func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, raw dialect.DB) {
				ctx := context.Background()
				db := m.Bind(raw)
				if err := m.CreateAll(ctx, db); err != nil {
					t.Fatal(err)
				}
				for kind, s := range cyStores(db) {
					if kind == "NOT NULL key" {
						continue // neither applies to it
					}
					if err := s.seed(ctx, cySpec{"s": "s", "a": "", "b": "a", "x": ""}); err != nil {
						t.Fatal(err)
					}
					if err := s.remove(ctx, "s"); err != nil {
						t.Errorf("%s: Delete of a row that is its own parent: %v", kind, err)
					}
					err := s.remove(ctx, "a")
					want := cySpec{"b": "", "x": ""}
					if a == mapped.Restrict {
						if !errors.Is(err, model.ErrRestricted) {
							t.Errorf("%s: Delete of a row with a child: %v, want ErrRestricted", kind, err)
						}
						want = cySpec{"a": "", "b": "a", "x": ""}
					} else if err != nil {
						t.Errorf("%s: Delete of a row with a child: %v", kind, err)
					}
					if got, err := s.left(ctx); err != nil || !maps.Equal(got, want) {
						t.Errorf("%s: left %v, %v; want %v", kind, got, err, want)
					}
				}
			})
		})
	}
}
