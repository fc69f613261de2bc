package relation_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

// A tree of five tables, each level's rows children of the level above,
// every relation cascading deletes (testModel).
type node1 struct {
	ID   int64
	Name string
}

type node2 struct {
	ID, ParentID int64
	Name         string
}

type node3 node2
type node4 node2
type node5 node2

type nodeTable[T any] struct {
	*mapped.Table[T]
	ID       mapped.Column[T, int64]
	ParentID mapped.Column[T, int64]
	Name     mapped.TextColumn[T, string]
}

// defineLevel maps a level below the root: its rows reference parent.
func defineLevel[T, P any](name string, parent mapped.Column[P, int64], id func(*T) *int64, parentID func(*T) *int64, label func(*T) *string) nodeTable[T] {
	return mapped.Define(name, func(t *mapped.Table[T], row *T) nodeTable[T] {
		return nodeTable[T]{Table: t,
			ID:       mapped.PrimaryKey(t, id(row), mapped.Name("id")),
			ParentID: mapped.ForeignKey(t, parentID(row), parent, mapped.Index(), mapped.Name("parent_id")),
			Name:     mapped.Text(t, label(row), mapped.Name("name")),
		}
	})
}

var (
	tree1 = mapped.Define("tree1", func(t *mapped.Table[node1], n *node1) nodeTable[node1] {
		return nodeTable[node1]{Table: t, ID: mapped.PrimaryKey(t, &n.ID), Name: mapped.Text(t, &n.Name)}
	})
	tree2 = defineLevel("tree2", tree1.ID, func(n *node2) *int64 { return &n.ID },
		func(n *node2) *int64 { return &n.ParentID }, func(n *node2) *string { return &n.Name })
	tree3 = defineLevel("tree3", tree2.ID, func(n *node3) *int64 { return &n.ID },
		func(n *node3) *int64 { return &n.ParentID }, func(n *node3) *string { return &n.Name })
	tree4 = defineLevel("tree4", tree3.ID, func(n *node4) *int64 { return &n.ID },
		func(n *node4) *int64 { return &n.ParentID }, func(n *node4) *string { return &n.Name })
	tree5 = defineLevel("tree5", tree4.ID, func(n *node5) *int64 { return &n.ID },
		func(n *node5) *int64 { return &n.ParentID }, func(n *node5) *string { return &n.Name })

	// The down relations cascade (testModel); the up relations find
	// orphans. The collections are not needed: cascades never load them.
	tree12 = relation.HasMany(tree2.ParentID, func(*node1) *[]*node2 { return new([]*node2) })
	tree23 = relation.HasMany(tree3.ParentID, func(*node2) *[]*node3 { return new([]*node3) })
	tree34 = relation.HasMany(tree4.ParentID, func(*node3) *[]*node4 { return new([]*node4) })
	tree45 = relation.HasMany(tree5.ParentID, func(*node4) *[]*node5 { return new([]*node5) })
	tree21 = relation.BelongsTo(tree2.ParentID, func(*node2) **node1 { return new(*node1) })
	tree32 = relation.BelongsTo(tree3.ParentID, func(*node3) **node2 { return new(*node2) })
	tree43 = relation.BelongsTo(tree4.ParentID, func(*node4) **node3 { return new(*node3) })
	tree54 = relation.BelongsTo(tree5.ParentID, func(*node5) **node4 { return new(*node4) })
)

var treeTables = []mapped.Schema{tree1.Table, tree2.Table, tree3.Table, tree4.Table, tree5.Table}

// growLevel inserts fanout children of each parent into table and returns
// their keys.
func growLevel[T any](t testing.TB, db dialect.DB, table nodeTable[T], parents []int64, fanout int, mk func(parent int64, name string) *T) []int64 {
	t.Helper()
	rows := make([]*T, 0, len(parents)*fanout)
	for _, p := range parents {
		for i := range fanout {
			rows = append(rows, mk(p, fmt.Sprintf("%d.%d", p, i)))
		}
	}
	insertMany(t, db, table.Table, rows)
	keys := make([]int64, len(rows))
	for i, r := range rows {
		keys[i] = table.ID.Get(r)
	}
	return keys
}

// growTree inserts a root named name and four levels below it, fanout
// children per row.
func growTree(t testing.TB, db dialect.DB, name string, fanout int) *node1 {
	t.Helper()
	root := &node1{Name: name}
	insertMany(t, db, tree1.Table, []*node1{root})
	l2 := growLevel(t, db, tree2, []int64{root.ID}, fanout, func(p int64, n string) *node2 { return &node2{ParentID: p, Name: n} })
	l3 := growLevel(t, db, tree3, l2, fanout, func(p int64, n string) *node3 { return &node3{ParentID: p, Name: n} })
	l4 := growLevel(t, db, tree4, l3, fanout, func(p int64, n string) *node4 { return &node4{ParentID: p, Name: n} })
	growLevel(t, db, tree5, l4, fanout, func(p int64, n string) *node5 { return &node5{ParentID: p, Name: n} })
	return root
}

// treeCounts counts the rows of each level, and the orphans of each level
// below the root (rows whose parent does not exist).
func treeCounts(t testing.TB, db dialect.DB) (rows [5]int64, orphans [4]int64) {
	t.Helper()
	ctx := context.Background()
	rows = [5]int64{count(t, db, tree1.Table), count(t, db, tree2.Table), count(t, db, tree3.Table),
		count(t, db, tree4.Table), count(t, db, tree5.Table)}
	var err [4]error
	orphans[0], err[0] = repo.New(db, tree2.Table).Where(tree21.Has().Not()).Count(ctx)
	orphans[1], err[1] = repo.New(db, tree3.Table).Where(tree32.Has().Not()).Count(ctx)
	orphans[2], err[2] = repo.New(db, tree4.Table).Where(tree43.Has().Not()).Count(ctx)
	orphans[3], err[3] = repo.New(db, tree5.Table).Where(tree54.Has().Not()).Count(ctx)
	must(t, "count orphans", errors.Join(err[:]...))
	return rows, orphans
}

// deletedTables returns the tables of the DELETE statements among events,
// in order.
func deletedTables(events []dialect.Event) []string {
	var out []string
	for _, e := range events {
		if rest, ok := strings.CutPrefix(e.SQL, `DELETE FROM "`); ok {
			name, _, _ := strings.Cut(rest, `"`)
			out = append(out, name)
		}
	}
	return out
}

// TestCascadeDeleteTree deletes the root of a five-level tree with fan-out
// 10 (11,111 rows) and checks that every row below it went, deepest first,
// that no other row did, and that both databases end the same.
func TestCascadeDeleteTree(t *testing.T) {
	var mu sync.Mutex
	after := map[string][5]int64{}
	t.Cleanup(func() {
		if len(after) == len(testdb.Dialects) {
			first := after[testdb.Dialects[0]]
			for name, counts := range after {
				if counts != first {
					t.Errorf("row counts differ: %s %v, %s %v", testdb.Dialects[0], first, name, counts)
				}
			}
		}
	})
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		db = testModel.Bind(db)
		ctx := context.Background()
		create(t, db, treeTables...)
		big := growTree(t, db, "big", 10)
		growTree(t, db, "small", 2)
		rows, _ := treeCounts(t, db)
		if want := [5]int64{2, 12, 104, 1008, 10016}; rows != want {
			t.Fatalf("rows before: got %v, want %v", rows, want)
		}

		cctx, c := counting(ctx)
		must(t, "Delete", repo.New(db, tree1.Table).Delete(cctx, big))
		wantNames(t, "DELETE statements", deletedTables(c.seen()), []string{"tree5", "tree4", "tree3", "tree2", "tree1"})
		if b := c.begins.Load(); b != 1 {
			t.Errorf("transactions: got %d, want 1", b)
		}

		rows, orphans := treeCounts(t, db)
		if want := [5]int64{1, 2, 4, 8, 16}; rows != want {
			t.Errorf("rows after: got %v, want %v (the small tree, untouched)", rows, want)
		}
		if orphans != [4]int64{} {
			t.Errorf("orphans after: got %v, want none", orphans)
		}
		if _, err := repo.New(db, tree1.Table).Get(ctx, big.ID); !errors.Is(err, repo.ErrNotFound) {
			t.Errorf("the root after Delete: got %v, want ErrNotFound", err)
		}
		mu.Lock()
		after[db.Dialect().Name()] = rows
		mu.Unlock()
	}, countHook)
}

func TestCascadeDeleteWhere(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		db = testModel.Bind(db)
		ctx := context.Background()
		create(t, db, treeTables...)
		root := growTree(t, db, "root", 3) // 1 + 3 + 9 + 27 + 81
		level2, err := repo.New(db, tree2.Table).OrderBy(tree2.ID.Asc()).All(ctx)
		must(t, "level 2", err)

		// Two of the three subtrees of the root go: 2 + 6 + 18 + 54 rows.
		cctx, c := counting(ctx)
		n, err := repo.New(db, tree2.Table).DeleteWhere(cctx, tree2.ID.In(level2[0].ID, level2[1].ID))
		if err != nil || n != 2 {
			t.Fatalf("DeleteWhere: got %d, %v; want 2", n, err)
		}
		wantNames(t, "DELETE statements", deletedTables(c.seen()), []string{"tree5", "tree4", "tree3", "tree2"})
		rows, orphans := treeCounts(t, db)
		if want := [5]int64{1, 1, 3, 9, 27}; rows != want {
			t.Errorf("rows: got %v, want %v", rows, want)
		}
		if orphans != [4]int64{} {
			t.Errorf("orphans: got %v, want none", orphans)
		}

		// A condition through a relation selects what goes.
		n, err = repo.New(db, tree4.Table).DeleteWhere(ctx, tree43.Has(tree3.Name.HasSuffix(".0")))
		if err != nil || n != 3 {
			t.Fatalf("DeleteWhere through a relation: got %d, %v; want 3", n, err)
		}
		if rows, _ := treeCounts(t, db); rows != [5]int64{1, 1, 3, 6, 18} {
			t.Errorf("rows: got %v, want [1 1 3 6 18]", rows)
		}
		// Nothing matched: nothing cascades.
		n, err = repo.New(db, tree1.Table).DeleteWhere(ctx, tree1.Name.Eq("absent"))
		if err != nil || n != 0 {
			t.Errorf("DeleteWhere of nothing: got %d, %v", n, err)
		}
		must(t, "delete the rest", repo.New(db, tree1.Table).Delete(ctx, root))
		if rows, _ := treeCounts(t, db); rows != [5]int64{} {
			t.Errorf("rows after deleting the root: got %v, want none", rows)
		}

		t.Run("many rows", func(t *testing.T) {
			// 512 rows of level 4, found three levels up, and their 4,096
			// children: hundreds of keys in one IN list.
			growTree(t, db, "wide", 8)
			growTree(t, db, "other", 2)
			n, err := repo.New(db, tree4.Table).DeleteWhere(ctx, tree43.Has(tree32.Has(tree21.Has(tree1.Name.Eq("wide")))))
			if err != nil || n != 512 {
				t.Fatalf("DeleteWhere: got %d, %v; want 512", n, err)
			}
			rows, orphans := treeCounts(t, db)
			if want := [5]int64{2, 10, 68, 8, 16}; rows != want {
				t.Errorf("rows: got %v, want %v", rows, want)
			}
			if orphans != [4]int64{} {
				t.Errorf("orphans: got %v, want none", orphans)
			}
		})
		t.Run("condition through the cascaded relation", func(t *testing.T) {
			// The cascade deletes the tracks the condition looks at: the
			// artist must go all the same.
			m := seedMusic(t, db)
			ar := repo.New(db, artists.Table)
			n, err := ar.DeleteWhere(ctx, artistTracks.Any(tracks.Title.Eq("Lovesong")))
			if err != nil || n != 1 {
				t.Fatalf("DeleteWhere: got %d, %v; want 1", n, err)
			}
			left, err := ar.OrderBy(artists.Name.Asc()).All(ctx)
			must(t, "artists", err)
			wantNames(t, "artists", names(left, artistName), []string{"ABBA", "Beatles", "Doors"})
			if _, err := repo.New(db, albums.Table).Get(ctx, m.albums["Disintegration"].ID); !errors.Is(err, repo.ErrNotFound) {
				t.Errorf("the Cure's album: got %v, want ErrNotFound", err)
			}
			if got := []int64{count(t, db, albums.Table), count(t, db, tracks.Table)}; !slices.Equal(got, []int64{6, 13}) {
				t.Errorf("albums and tracks: got %v, want [6 13]", got)
			}
		})
	}, countHook)
}

// A warehouse's crates and shelves go with it; a shelf holding boxes may
// not be deleted. The crates' cascade is declared first in testModel, so
// it runs before the shelves' refuses.
type warehouse struct {
	ID   int64
	Name string
}

type crate struct {
	ID          int64
	WarehouseID int64
}

type shelf struct {
	ID          int64
	WarehouseID int64
	Name        string
}

type box struct {
	ID      int64
	ShelfID int64
}

type warehouseTable struct {
	*mapped.Table[warehouse]
	ID   mapped.Column[warehouse, int64]
	Name mapped.TextColumn[warehouse, string]
}

type crateTable struct {
	*mapped.Table[crate]
	ID          mapped.Column[crate, int64]
	WarehouseID mapped.Column[crate, int64]
}

type shelfTable struct {
	*mapped.Table[shelf]
	ID          mapped.Column[shelf, int64]
	WarehouseID mapped.Column[shelf, int64]
	Name        mapped.TextColumn[shelf, string]
}

type boxTable struct {
	*mapped.Table[box]
	ID      mapped.Column[box, int64]
	ShelfID mapped.Column[box, int64]
}

var (
	warehouses = mapped.Define("warehouse", func(t *mapped.Table[warehouse], w *warehouse) warehouseTable {
		return warehouseTable{Table: t, ID: mapped.PrimaryKey(t, &w.ID), Name: mapped.Text(t, &w.Name)}
	})
	crates = mapped.Define("crate", func(t *mapped.Table[crate], c *crate) crateTable {
		return crateTable{Table: t, ID: mapped.PrimaryKey(t, &c.ID),
			WarehouseID: mapped.ForeignKey(t, &c.WarehouseID, warehouses.ID)}
	})
	shelves = mapped.Define("shelf", func(t *mapped.Table[shelf], s *shelf) shelfTable {
		return shelfTable{Table: t, ID: mapped.PrimaryKey(t, &s.ID),
			WarehouseID: mapped.ForeignKey(t, &s.WarehouseID, warehouses.ID),
			Name:        mapped.Text(t, &s.Name)}
	})
	boxes = mapped.Define("box", func(t *mapped.Table[box], b *box) boxTable {
		return boxTable{Table: t, ID: mapped.PrimaryKey(t, &b.ID),
			ShelfID: mapped.ForeignKey(t, &b.ShelfID, shelves.ID)}
	})
	warehouseCrates  = relation.HasMany(crates.WarehouseID, func(*warehouse) *[]*crate { return new([]*crate) })
	warehouseShelves = relation.HasMany(shelves.WarehouseID, func(*warehouse) *[]*shelf { return new([]*shelf) })
	shelfBoxes       = relation.HasMany(boxes.ShelfID, func(*shelf) *[]*box { return new([]*box) })
)

var storeTables = []mapped.Schema{warehouses.Table, crates.Table, shelves.Table, boxes.Table}

// storeCounts counts warehouses, crates, shelves and boxes.
func storeCounts(t testing.TB, db dialect.Executor) [4]int64 {
	t.Helper()
	return [4]int64{count(t, db, warehouses.Table), count(t, db, crates.Table), count(t, db, shelves.Table), count(t, db, boxes.Table)}
}

// seedStore: the full warehouse has two crates, an empty shelf and a shelf
// with two boxes; the bare warehouse has a crate and an empty shelf.
func seedStore(t testing.TB, db dialect.DB) (full, bare *warehouse, empty, loaded *shelf) {
	t.Helper()
	create(t, db, storeTables...)
	full, bare = &warehouse{Name: "full"}, &warehouse{Name: "bare"}
	insertMany(t, db, warehouses.Table, []*warehouse{full, bare})
	insertMany(t, db, crates.Table, []*crate{{WarehouseID: full.ID}, {WarehouseID: full.ID}, {WarehouseID: bare.ID}})
	empty, loaded = &shelf{WarehouseID: full.ID, Name: "empty"}, &shelf{WarehouseID: full.ID, Name: "loaded"}
	insertMany(t, db, shelves.Table, []*shelf{empty, loaded, {WarehouseID: bare.ID, Name: "bare"}})
	insertMany(t, db, boxes.Table, []*box{{ShelfID: loaded.ID}, {ShelfID: loaded.ID}})
	return full, bare, empty, loaded
}

func TestCascadeRestrict(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		db = testModel.Bind(db)
		ctx := context.Background()
		full, bare, empty, loaded := seedStore(t, db)
		start := storeCounts(t, db)
		if start != [4]int64{2, 3, 3, 2} {
			t.Fatalf("seeded: got %v", start)
		}
		for _, c := range []struct {
			name string
			run  func() error
		}{
			{"Delete of a shelf with boxes", func() error { return repo.New(db, shelves.Table).Delete(ctx, loaded) }},
			{"DeleteWhere of shelves, one with boxes", func() error {
				_, err := repo.New(db, shelves.Table).DeleteWhere(ctx, shelves.ID.In(empty.ID, loaded.ID))
				return err
			}},
			// The crates' cascade deletes first, then the shelves' reaches
			// the boxes and refuses: the crates must come back.
			{"Delete of a warehouse, refused two levels down", func() error { return repo.New(db, warehouses.Table).Delete(ctx, full) }},
			{"DeleteWhere of every warehouse", func() error {
				_, err := repo.New(db, warehouses.Table).DeleteWhere(ctx, query.AllRows[warehouse]())
				return err
			}},
		} {
			t.Run(c.name, func(t *testing.T) {
				err := c.run()
				if !errors.Is(err, model.ErrRestricted) {
					t.Errorf("got %v, want ErrRestricted", err)
				}
				if got := storeCounts(t, db); got != start {
					t.Errorf("rows after the refused delete: got %v, want %v (nothing deleted)", got, start)
				}
			})
		}
		t.Run("the database refuses too", func(t *testing.T) {
			_, err := db.Exec(ctx, sqlFor(db, `DELETE FROM shelf WHERE id = $1`), loaded.ID)
			if !errors.Is(err, dialect.ErrForeignKey) {
				t.Errorf("plain DELETE of a shelf with boxes: got %v, want ErrForeignKey (ON DELETE RESTRICT)", err)
			}
		})
		t.Run("inside a caller's transaction", func(t *testing.T) {
			// The refused cascade undoes only its own work: the caller's
			// transaction goes on (PostgreSQL too, thanks to a savepoint).
			err := dialect.InTx(ctx, db, func(tx dialect.Executor) error {
				if err := repo.New(tx, crates.Table).Insert(ctx, &crate{WarehouseID: bare.ID}); err != nil {
					return err
				}
				if err := repo.New(tx, warehouses.Table).Delete(ctx, full); !errors.Is(err, model.ErrRestricted) {
					return fmt.Errorf("Delete in the transaction: got %v, want ErrRestricted", err)
				}
				return repo.New(tx, crates.Table).Insert(ctx, &crate{WarehouseID: bare.ID})
			})
			must(t, "transaction", err)
			if got, want := storeCounts(t, db), [4]int64{2, 5, 3, 2}; got != want {
				t.Errorf("rows: got %v, want %v", got, want)
			}
		})
		t.Run("allowed once empty", func(t *testing.T) {
			must(t, "Delete empty shelf", repo.New(db, shelves.Table).Delete(ctx, empty))
			must(t, "Delete bare warehouse", repo.New(db, warehouses.Table).Delete(ctx, bare))
			if got, want := storeCounts(t, db), [4]int64{1, 2, 1, 2}; got != want {
				t.Errorf("rows: got %v, want %v", got, want)
			}
		})
	})
}

// sqlFor rewrites $n placeholders for db's dialect.
func sqlFor(db dialect.DB, sql string) string {
	if db.Dialect().Name() == "sqlite" {
		for i := 9; i >= 1; i-- {
			sql = strings.ReplaceAll(sql, fmt.Sprintf("$%d", i), "?")
		}
	}
	return sql
}

func TestCascadeNullify(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		db = testModel.Bind(db)
		ctx := context.Background()
		staff := seedStaff(t, db)
		emps := repo.New(db, employees.Table)
		must(t, "Delete Bob", emps.Delete(ctx, staff["Bob"]))
		without, err := emps.Where(employees.ManagerID.IsNull()).OrderBy(employees.Name.Asc()).All(ctx)
		must(t, "read back", err)
		wantNames(t, "without a manager", names(without, employeeName), []string{"Ada", "Dan", "Eve", "Zed"})
		if n := count(t, db, employees.Table); n != 5 {
			t.Errorf("employees: got %d, want 5 (only Bob deleted)", n)
		}
		// Through DeleteWhere, and for several managers at once.
		n, err := emps.DeleteWhere(ctx, employees.Name.In("Ada", "Zed"))
		if err != nil || n != 2 {
			t.Fatalf("DeleteWhere: got %d, %v; want 2", n, err)
		}
		cy, err := emps.Get(ctx, staff["Cy"].ID)
		must(t, "Cy", err)
		if cy.ManagerID != nil {
			t.Errorf("Cy's manager after Ada's delete: got %d, want NULL", *cy.ManagerID)
		}
	})
}

func TestCascadeOneToOne(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		db = testModel.Bind(db)
		ctx := context.Background()
		ann, ben, _ := seedPeople(t, db)
		ps := repo.New(db, people.Table)
		must(t, "Delete Ben", ps.Delete(ctx, ben)) // no phone: nothing to cascade
		must(t, "Delete Ann", ps.Delete(ctx, ann))
		if n := count(t, db, phones.Table); n != 0 {
			t.Errorf("phones: got %d, want 0", n)
		}
	})
}

func TestCascadeManyToMany(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		db = testModel.Bind(db)
		ctx := context.Background()
		cin := seedCinema(t, db)
		ms, as := repo.New(db, movies.Table), repo.New(db, actors.Table)
		must(t, "Delete The Matrix", ms.Delete(ctx, cin.movies["The Matrix"]))
		if n := count(t, db, movieActors.Table); n != 3 {
			t.Errorf("links: got %d, want 3 (The Matrix's four gone)", n)
		}
		if n := count(t, db, actors.Table); n != 5 {
			t.Errorf("actors: got %d, want 5 (none deleted)", n)
		}
		must(t, "Delete Laurence", as.Delete(ctx, cin.actors["Laurence"]))
		wick, err := movieCast.Fetch(ctx, db, &movie{ID: cin.movies["John Wick"].ID})
		must(t, "fetch", err)
		wantNames(t, "John Wick", names(wick, actorName), []string{"Keanu"})
		n, err := ms.DeleteWhere(ctx, movieCast.Any(actors.Name.Eq("Hugo")))
		if err != nil || n != 1 {
			t.Fatalf("DeleteWhere: got %d, %v; want 1 (Cloud Atlas)", n, err)
		}
		if n := count(t, db, movieActors.Table); n != 1 {
			t.Errorf("links: got %d, want 1", n)
		}
		if n := count(t, db, actors.Table); n != 4 {
			t.Errorf("actors: got %d, want 4", n)
		}
	})
}

// A self-referential tree: deleting a category deletes its subtree.
type category struct {
	ID       int64
	ParentID *int64
	Name     string
	Children []*category
}

type categoryTable struct {
	*mapped.Table[category]
	ID       mapped.Column[category, int64]
	ParentID mapped.NullableColumn[category, int64]
	Name     mapped.TextColumn[category, string]
}

var (
	categories = mapped.Define("category", func(t *mapped.Table[category], c *category) categoryTable {
		id := mapped.PrimaryKey(t, &c.ID)
		return categoryTable{Table: t, ID: id,
			ParentID: mapped.NullableForeignKey(t, &c.ParentID, id),
			Name:     mapped.Text(t, &c.Name)}
	})
	subcategories = relation.HasManyNullable(categories.ParentID,
		func(c *category) *[]*category { return &c.Children })
)

func TestCascadeSelfReferential(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		db = testModel.Bind(db)
		ctx := context.Background()
		create(t, db, categories.Table)
		cats := repo.New(db, categories.Table)
		// add inserts a category under parent (nil: a root).
		add := func(name string, parent *category) *category {
			c := &category{Name: name}
			if parent != nil {
				c.ParentID = &parent.ID
			}
			must(t, "insert "+name, cats.Insert(ctx, c))
			return c
		}
		music := add("music", nil)
		rock := add("rock", music)
		add("punk", add("alternative", rock))
		add("jazz", music)
		books := add("books", nil)
		add("poetry", books)

		must(t, "Delete rock", cats.Delete(ctx, rock))
		left, err := cats.OrderBy(categories.Name.Asc()).All(ctx)
		must(t, "read back", err)
		wantNames(t, "left", names(left, func(c *category) string { return c.Name }), []string{"books", "jazz", "music", "poetry"})

		t.Run("cycle", func(t *testing.T) {
			// a → b → a: the cascade does not follow the cycle back into
			// a, which is being deleted; both go, as the database's own
			// ON DELETE CASCADE deletes them, and nothing else.
			a := add("a", nil)
			b := add("b", a)
			a.ParentID = &b.ID
			must(t, "close the cycle", cats.Update(ctx, a, categories.ParentID))
			must(t, "Delete a", cats.Delete(ctx, a))
			left, err := cats.OrderBy(categories.Name.Asc()).All(ctx)
			must(t, "read back", err)
			wantNames(t, "left", names(left, func(c *category) string { return c.Name }), []string{"books", "jazz", "music", "poetry"})
		})
	})
}

// TestCascadeDDL checks that the model's CreateSQL writes the ON DELETE
// each cascade of testModel declares, and nothing where none is declared;
// that mapped.CreateSQL, which knows no model, writes none of them; and
// that the database, its tables created by the model's CreateAll, applies
// them by itself.
func TestCascadeDDL(t *testing.T) {
	ddlTables := slices.Concat(treeTables, storeTables, musicTables,
		[]mapped.Schema{employees.Table, people.Table, phones.Table, owners.Table, pets.Table,
			movies.Table, actors.Table, movieActors.Table, categories.Table})
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		stmts, err := testModel.CreateSQL(db.Dialect(), ddlTables...)
		must(t, "CreateSQL", err)
		ddl := strings.Join(stmts, "\n")
		for _, c := range []struct{ table, fk, want string }{
			{"tree2", `FOREIGN KEY ("parent_id") REFERENCES "tree1" ("id") ON DELETE CASCADE`, "Cascade"},
			{"tree5", `FOREIGN KEY ("parent_id") REFERENCES "tree4" ("id") ON DELETE CASCADE`, "Cascade"},
			{"box", `FOREIGN KEY ("shelf_id") REFERENCES "shelf" ("id") ON DELETE RESTRICT`, "Restrict"},
			{"employee", `FOREIGN KEY ("manager_id") REFERENCES "employee" ("id") ON DELETE SET NULL`, "SetNull"},
			{"phone", `FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE CASCADE`, "Cascade"},
			{"category", `FOREIGN KEY ("parent_id") REFERENCES "category" ("id") ON DELETE CASCADE`, "Cascade"},
			{"pet", `FOREIGN KEY ("owner_id") REFERENCES "owner" ("id")` + "\n", "none"},
			{"movie_actor", `FOREIGN KEY ("movie_id") REFERENCES "movie" ("id")` + ",\n", "none"},
			{"movie_actor", `FOREIGN KEY ("actor_id") REFERENCES "actor" ("id")` + "\n", "none"},
		} {
			if !strings.Contains(ddl, c.fk) {
				t.Errorf("%s (%s): the DDL lacks %q", c.table, c.want, c.fk)
			}
		}
		// The columns declare no ON DELETE of their own: without the
		// model, the DDL has none.
		plain, err := mapped.CreateSQL(db.Dialect(), ddlTables...)
		must(t, "mapped.CreateSQL", err)
		if got := strings.Join(plain, "\n"); strings.Contains(got, "ON DELETE") {
			t.Errorf("mapped.CreateSQL writes an ON DELETE:\n%s", got)
		}
		// The database applies them by itself: a plain DELETE of a
		// manager, on the handle that is bound to no model, sets the
		// reports' key to NULL.
		ctx := context.Background()
		staff := seedStaff(t, db)
		_, err = db.Exec(ctx, sqlFor(db, `DELETE FROM employee WHERE id = $1`), staff["Bob"].ID)
		must(t, "plain DELETE", err)
		n, err := repo.New(db, employees.Table).Where(employees.ManagerID.IsNull()).Count(ctx)
		if err != nil || n != 4 {
			t.Errorf("employees without a manager: got %d, %v; want 4", n, err)
		}
	})
}

// TestCascadeDeclaration checks what model.New refuses of a cascade, that
// the foreign key's action in the model (and its DDL) follows the cascade,
// and that declaring one leaves the tables as they are.
func TestCascadeDeclaration(t *testing.T) {
	type parent struct{ ID int64 }
	type child struct {
		ID       int64
		ParentID *int64
		OtherID  int64
	}
	// fresh maps a parent and a child table anew for each case: opts are
	// the options of the child's nullable foreign key, otherOpts of its NOT
	// NULL one; tables are the two, for model.Tables.
	fresh := func(opts, otherOpts []mapped.Option) (mapped.Column[parent, int64], mapped.NullableColumn[child, int64], mapped.Column[child, int64], []mapped.Schema) {
		var id mapped.Column[parent, int64]
		pt := mapped.Define("decl_parent", func(t *mapped.Table[parent], p *parent) *mapped.Table[parent] {
			id = mapped.PrimaryKey(t, &p.ID)
			return t
		})
		var fk mapped.NullableColumn[child, int64]
		var other mapped.Column[child, int64]
		ct := mapped.Define("decl_child", func(t *mapped.Table[child], c *child) *mapped.Table[child] {
			mapped.PrimaryKey(t, &c.ID)
			fk = mapped.NullableForeignKey(t, &c.ParentID, id, opts...)
			other = mapped.ForeignKey(t, &c.OtherID, id, otherOpts...)
			return t
		})
		return id, fk, other, []mapped.Schema{pt, ct}
	}
	field := func(*parent) *[]*child { return new([]*child) }
	// wantErr fails the test unless err says every one of parts.
	wantErr := func(t *testing.T, err error, parts ...string) {
		t.Helper()
		if err == nil {
			t.Errorf("model.New: no error; want one saying %q", parts)
			return
		}
		for _, p := range parts {
			if !strings.Contains(err.Error(), p) {
				t.Errorf("model.New: error %q lacks %q", err, p)
			}
		}
	}

	t.Run("disagrees with OnDelete", func(t *testing.T) {
		_, fk, _, tables := fresh([]mapped.Option{mapped.OnDelete(mapped.SetNull)}, nil)
		_, err := model.New(model.Tables(tables...), model.OnDelete(relation.HasManyNullable(fk, field), mapped.Cascade))
		wantErr(t, err, "decl_parent → decl_child", "disagrees", "CASCADE disagrees with the foreign key's ON DELETE SET NULL")
		if a := fk.Field().Info().References.OnDelete; a != mapped.SetNull {
			t.Errorf("ON DELETE after the refused cascade: got %s, want SET NULL", a.SQL())
		}
	})
	t.Run("agrees with OnDelete", func(t *testing.T) {
		_, _, other, tables := fresh(nil, []mapped.Option{mapped.OnDelete(mapped.Cascade)})
		m, err := model.New(model.Tables(tables...), model.OnDelete(relation.HasMany(other, field), mapped.Cascade))
		if err != nil {
			t.Fatalf("model.New: %v", err)
		}
		if a := m.OnDelete(other.Field().Info()); a != mapped.Cascade {
			t.Errorf("the model's ON DELETE: got %s, want CASCADE", a.SQL())
		}
	})
	t.Run("SetNull on a NOT NULL key", func(t *testing.T) {
		_, _, other, tables := fresh(nil, nil)
		_, err := model.New(model.Tables(tables...), model.OnDelete(relation.HasMany(other, field), mapped.SetNull))
		wantErr(t, err, "SET NULL needs a nullable foreign key", "other_id is NOT NULL")
		if a := other.Field().Info().References.OnDelete; a != mapped.NoAction {
			t.Errorf("ON DELETE after the refused cascade: got %s, want none", a.SQL())
		}
	})
	t.Run("declared twice", func(t *testing.T) {
		_, fk, _, tables := fresh(nil, nil)
		rel := relation.HasManyNullable(fk, field)
		_, err := model.New(model.Tables(tables...), model.OnDelete(rel, mapped.SetNull), model.OnDelete(rel, mapped.SetNull))
		wantErr(t, err, "declared twice")
		// Another relation over the same foreign key, another action: the
		// same rule all the same.
		_, err = model.New(model.Tables(tables...), model.OnDelete(rel, mapped.SetNull),
			model.OnDelete(relation.HasManyNullable(fk, field), mapped.Cascade))
		wantErr(t, err, "declared twice")
	})
	t.Run("sets the foreign key's action", func(t *testing.T) {
		for _, want := range []mapped.Action{mapped.Cascade, mapped.SetNull, mapped.Restrict} {
			_, fk, _, tables := fresh(nil, nil)
			m, err := model.New(model.Tables(tables...), model.OnDelete(relation.HasManyNullable(fk, field), want))
			if err != nil {
				t.Fatalf("model.New with %s: %v", want.SQL(), err)
			}
			if got := m.OnDelete(fk.Field().Info()); got != want {
				t.Errorf("OnDelete(%s): the model's ON DELETE %s", want.SQL(), got.SQL())
			}
			stmts, err := m.CreateSQL(sqlite.Dialect())
			must(t, "CreateSQL", err)
			clause := `FOREIGN KEY ("parent_id") REFERENCES "decl_parent" ("id") ON DELETE ` + want.SQL()
			if ddl := strings.Join(stmts, "\n"); !strings.Contains(ddl, clause) {
				t.Errorf("OnDelete(%s): the model's DDL lacks %q:\n%s", want.SQL(), clause, ddl)
			}
			// The table is left as it was: the action is the model's.
			if got := fk.Field().Info().References.OnDelete; got != mapped.NoAction {
				t.Errorf("OnDelete(%s): the column's own ON DELETE became %s", want.SQL(), got.SQL())
			}
		}
	})
	t.Run("one-to-one", func(t *testing.T) {
		id, _, _, tables := fresh(nil, nil)
		type single struct {
			ID       int64
			ParentID int64
		}
		var fk mapped.Column[single, int64]
		st := mapped.Define("decl_single", func(t *mapped.Table[single], s *single) *mapped.Table[single] {
			mapped.PrimaryKey(t, &s.ID)
			fk = mapped.ForeignKey(t, &s.ParentID, id, mapped.Unique())
			return t
		})
		_, err := model.New(model.Tables(append(tables, st)...),
			model.OnDelete(relation.HasOne(fk, func(*parent) **single { return new(*single) }), mapped.SetNull))
		wantErr(t, err, "SET NULL needs a nullable foreign key", "NOT NULL")
	})
}

// Enrolments have a composite key (student, course) and a unique code
// that their grades reference.
type student struct{ ID int64 }

type course struct{ ID int64 }

type enrolment struct {
	StudentID, CourseID int64
	Code                string
}

type grade struct {
	ID            int64
	EnrolmentCode string
	Mark          int
}

var (
	students = mapped.Define("student", func(t *mapped.Table[student], s *student) mapped.Column[student, int64] {
		return mapped.PrimaryKey(t, &s.ID)
	})
	courses = mapped.Define("course", func(t *mapped.Table[course], c *course) mapped.Column[course, int64] {
		return mapped.PrimaryKey(t, &c.ID)
	})
	enrolments = mapped.Define("enrolment", func(t *mapped.Table[enrolment], e *enrolment) struct {
		*mapped.Table[enrolment]
		StudentID mapped.Column[enrolment, int64]
		Code      mapped.TextColumn[enrolment, string]
	} {
		s := mapped.ForeignKey(t, &e.StudentID, students, mapped.InPrimaryKey())
		mapped.ForeignKey(t, &e.CourseID, courses, mapped.InPrimaryKey())
		return struct {
			*mapped.Table[enrolment]
			StudentID mapped.Column[enrolment, int64]
			Code      mapped.TextColumn[enrolment, string]
		}{t, s, mapped.Text(t, &e.Code, mapped.Unique())}
	})
	grades = mapped.Define("grade", func(t *mapped.Table[grade], g *grade) mapped.Column[grade, string] {
		mapped.PrimaryKey(t, &g.ID)
		mapped.Col(t, &g.Mark)
		return mapped.ForeignKey(t, &g.EnrolmentCode, enrolments.Code.Column)
	})
	enrolmentGrades = relation.HasMany(grades, func(*enrolment) *[]*grade { return new([]*grade) })
)

// TestCascadeCompositeKey deletes rows with a composite key and cascades
// from them through a unique column.
func TestCascadeCompositeKey(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		db = testModel.Bind(db)
		ctx := context.Background()
		create(t, db, students.Field().Table(), courses.Field().Table(), enrolments.Table, grades.Field().Table())
		ss := []*student{{}, {}}
		cs := []*course{{}, {}, {}}
		insertMany(t, db, students.Field().Table(), ss)
		insertMany(t, db, courses.Field().Table(), cs)
		var es []*enrolment
		var gs []*grade
		for _, s := range ss {
			for _, c := range cs {
				code := fmt.Sprintf("s%d-c%d", s.ID, c.ID)
				es = append(es, &enrolment{StudentID: s.ID, CourseID: c.ID, Code: code})
				gs = append(gs, &grade{EnrolmentCode: code, Mark: 1}, &grade{EnrolmentCode: code, Mark: 2})
			}
		}
		insertMany(t, db, enrolments.Table, es)
		insertMany(t, db, grades.Field().Table(), gs)

		n, err := repo.New(db, enrolments.Table).DeleteWhere(ctx, enrolments.StudentID.Eq(ss[0].ID))
		if err != nil || n != 3 {
			t.Fatalf("DeleteWhere: got %d, %v; want 3", n, err)
		}
		must(t, "Delete", repo.New(db, enrolments.Table).Delete(ctx, es[3]))
		if got := []int64{count(t, db, enrolments.Table), count(t, db, grades.Field().Table())}; !slices.Equal(got, []int64{2, 4}) {
			t.Errorf("enrolments and grades: got %v, want [2 4]", got)
		}
		left, err := repo.New(db, grades.Field().Table()).Where(grades.In(es[4].Code, es[5].Code)).Count(ctx)
		if err != nil || left != 4 {
			t.Errorf("grades of the enrolments left: got %d, %v; want 4", left, err)
		}
	})
}
