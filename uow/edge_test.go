package uow_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
	"github.com/genrepo/genrepo/uow"
)

// Tables for edge cases of object graphs: a folder has files (whose
// orphans testModel deletes, with a Back pointer), and a node may have a
// parent node (a self-reference whose deletion nullifies the children's
// keys).

type rvFolder struct {
	ID    int64
	Name  string
	Files []*rvFile
}

type rvFile struct {
	ID       int64
	FolderID int64
	Name     string
	Folder   *rvFolder
}

type rvNode struct {
	ID       int64
	Name     string
	ParentID *int64
	Parent   *rvNode
	Kids     []*rvNode
}

type rvFolderTable struct {
	*mapped.Table[rvFolder]
	ID   mapped.Column[rvFolder, int64]
	Name mapped.TextColumn[rvFolder, string]
}

type rvFileTable struct {
	*mapped.Table[rvFile]
	ID       mapped.Column[rvFile, int64]
	FolderID mapped.Column[rvFile, int64]
	Name     mapped.TextColumn[rvFile, string]
}

type rvNodeTable struct {
	*mapped.Table[rvNode]
	ID       mapped.Column[rvNode, int64]
	Name     mapped.TextColumn[rvNode, string]
	ParentID mapped.NullableColumn[rvNode, int64]
}

var rvFolders = mapped.Define("rv_folder", func(t *mapped.Table[rvFolder], f *rvFolder) rvFolderTable {
	return rvFolderTable{Table: t, ID: mapped.PrimaryKey(t, &f.ID), Name: mapped.Text(t, &f.Name)}
})

var rvFiles = mapped.Define("rv_file", func(t *mapped.Table[rvFile], f *rvFile) rvFileTable {
	return rvFileTable{Table: t, ID: mapped.PrimaryKey(t, &f.ID),
		FolderID: mapped.ForeignKey(t, &f.FolderID, rvFolders.ID), Name: mapped.Text(t, &f.Name)}
})

var rvNodes = mapped.Define("rv_node", func(t *mapped.Table[rvNode], n *rvNode) rvNodeTable {
	nt := rvNodeTable{Table: t, ID: mapped.PrimaryKey(t, &n.ID), Name: mapped.Text(t, &n.Name)}
	nt.ParentID = mapped.NullableForeignKey(t, &n.ParentID, nt.ID)
	return nt
})

// testModel follows both, deletes a folder's files with it (and a file
// taken out of its folder's collection), and sets the parent of a deleted
// node's kids to NULL.
var (
	rvFolderFiles = relation.HasMany(rvFiles.FolderID, func(f *rvFolder) *[]*rvFile { return &f.Files }).
			Back(func(f *rvFile) **rvFolder { return &f.Folder })
	rvNodeKids = relation.HasManyNullable(rvNodes.ParentID, func(n *rvNode) *[]*rvNode { return &n.Kids }).
			Back(func(n *rvNode) **rvNode { return &n.Parent })
)

// eachEdge runs body on every dialect with these tables created.
func eachEdge(t *testing.T, body func(t *testing.T, db dialect.DB, rec *recorder)) {
	t.Helper()
	each(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		if err := testModel.CreateAll(context.Background(), db, rvFolders.Table, rvFiles.Table, rvNodes.Table); err != nil {
			t.Fatal(err)
		}
		rec.reset()
		body(t, db, rec)
	})
}

// seedFolder stores a folder with files named names, returning it.
func seedFolder(t *testing.T, db dialect.DB, name string, names ...string) *rvFolder {
	t.Helper()
	f := &rvFolder{Name: name}
	for _, n := range names {
		f.Files = append(f.Files, &rvFile{Name: n})
	}
	if err := uow.Run(context.Background(), db, func(u *uow.Unit) error { return uow.Add(u, rvFolders.Table, f) }); err != nil {
		t.Fatal(err)
	}
	return f
}

// A Find that returns a row the unit already holds must not take the
// row's current relations as their new baseline: a child taken out of its
// loaded collection before the Find is still an orphan at the flush.
func TestFindKeepsPendingOrphan(t *testing.T) {
	t.Parallel()
	eachEdge(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		f := seedFolder(t, db, "a", "x", "y")
		u := begin(t, db)
		got, err := uow.Find(ctx, u, repo.New(db, rvFolders.Table).Load(rvFolderFiles).Where(rvFolders.ID.Eq(f.ID)))
		if err != nil {
			t.Fatal(err)
		}
		got[0].Files = got[0].Files[1:] // x is an orphan
		if _, err := uow.Find(ctx, u, repo.New(db, rvFolders.Table).Where(rvFolders.ID.Eq(f.ID))); err != nil {
			t.Fatal(err)
		}
		if err := u.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := repo.New(db, rvFiles.Table).Get(ctx, f.Files[0].ID); !errors.Is(err, repo.ErrNotFound) {
			t.Errorf("orphan taken out before a second Find: Get gives %v, want it deleted", err)
		}
	})
}

// A child appended to a loaded collection before a Find of its parent is
// still inserted with its parent's key.
func TestFindKeepsPendingAppend(t *testing.T) {
	t.Parallel()
	eachEdge(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		f := seedFolder(t, db, "a", "x")
		u := begin(t, db)
		got, err := uow.Find(ctx, u, repo.New(db, rvFolders.Table).Load(rvFolderFiles).Where(rvFolders.ID.Eq(f.ID)))
		if err != nil {
			t.Fatal(err)
		}
		nf := &rvFile{Name: "new"}
		got[0].Files = append(got[0].Files, nf)
		if _, err := uow.Find(ctx, u, repo.New(db, rvFolders.Table).Where(rvFolders.ID.Eq(f.ID))); err != nil {
			t.Fatal(err)
		}
		if err := u.Commit(ctx); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		if nf.ID == 0 || nf.FolderID != f.ID {
			t.Errorf("appended file %+v, want a key and folder_id %d", *nf, f.ID)
		}
	})
}

// A child moved to another parent through its Back pointer keeps the move
// across a Find that returns it again.
func TestFindKeepsPendingMove(t *testing.T) {
	t.Parallel()
	eachEdge(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		a := seedFolder(t, db, "a", "x")
		b := seedFolder(t, db, "b")
		u := begin(t, db)
		got, err := uow.Find(ctx, u, repo.New(db, rvFolders.Table).Load(rvFolderFiles).Where(rvFolders.ID.Eq(a.ID)))
		if err != nil {
			t.Fatal(err)
		}
		x := got[0].Files[0]
		got[0].Files = nil // not loaded: only the Back pointer says where x belongs
		bb, err := uow.Get(ctx, u, rvFolders.Table, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		x.Folder = bb
		if _, err := uow.Find(ctx, u, repo.New(db, rvFiles.Table).Where(rvFiles.ID.Eq(x.ID))); err != nil {
			t.Fatal(err)
		}
		if err := u.Commit(ctx); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		if got := stored(t, db, rvFiles.Table, x.ID); got.FolderID != b.ID {
			t.Errorf("moved file has folder_id %d, want %d", got.FolderID, b.ID)
		}
	})
}

// A flush refused before anything is sent leaves the unit as it was: the
// rows it reached through relations are not scheduled by the refusal, so
// a parent added and then deleted before the next flush takes its new
// children with it.
func TestRefusedFlushSchedulesNothing(t *testing.T) {
	t.Parallel()
	eachEdge(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		u := begin(t, db)
		f := &rvFolder{Name: "doomed", Files: []*rvFile{{Name: "x"}}}
		if err := uow.Add(u, rvFolders.Table, f); err != nil {
			t.Fatal(err)
		}
		// Two new nodes naming each other: refused as a cycle.
		a, b := &rvNode{Name: "a"}, &rvNode{Name: "b"}
		a.Parent, b.Parent = b, a
		if err := uow.Add(u, rvNodes.Table, a); err != nil {
			t.Fatal(err)
		}
		if err := u.Flush(ctx); err == nil || !strings.Contains(err.Error(), "cycle") {
			t.Fatalf("Flush: %v, want a cycle refusal", err)
		}
		// Give up on the folder, and break the cycle.
		if err := uow.Delete(u, rvFolders.Table, f); err != nil {
			t.Fatal(err)
		}
		b.Parent = nil
		if err := u.Commit(ctx); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		if n := count(t, db, rvFiles.Table); n != 0 {
			t.Errorf("%d files stored, want 0: the folder was deleted before any flush", n)
		}
	})
}

// A nested unit whose flush ran a SetNull cascade and then failed puts the
// rows back as they were: the next flush has nothing to write.
func TestNestedNullifyRestores(t *testing.T) {
	t.Parallel()
	eachEdge(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		root := &rvNode{Name: "root", Kids: []*rvNode{{Name: "kid"}}}
		if err := uow.Run(ctx, db, func(u *uow.Unit) error { return uow.Add(u, rvNodes.Table, root) }); err != nil {
			t.Fatal(err)
		}
		u := begin(t, db)
		r, err := uow.Get(ctx, u, rvNodes.Table, root.ID)
		if err != nil {
			t.Fatal(err)
		}
		k, err := uow.Get(ctx, u, rvNodes.Table, root.Kids[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		errBoom := errors.New("boom")
		err = u.Nested(ctx, func(u *uow.Unit) error {
			if err := uow.Delete(u, rvNodes.Table, r); err != nil {
				return err
			}
			if err := u.Flush(ctx); err != nil {
				return err
			}
			if k.ParentID != nil {
				t.Errorf("kid keeps parent_id %d after its parent's deletion", *k.ParentID)
			}
			return errBoom
		})
		if !errors.Is(err, errBoom) {
			t.Fatalf("Nested: %v", err)
		}
		if k.ParentID == nil || *k.ParentID != r.ID {
			t.Fatalf("kid's parent_id %v after the nested unit failed, want %d", k.ParentID, r.ID)
		}
		rec.reset()
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if ops := writeOps(rec); ops != "" {
			t.Errorf("flush after the failed nested unit wrote %s, want nothing", ops)
		}
	})
}

// A self-referential tree three levels deep, loaded and deleted in one
// unit, is deleted leaves first.
func TestDeleteTree(t *testing.T) {
	t.Parallel()
	eachEdge(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		root := &rvNode{Name: "root", Kids: []*rvNode{{Name: "mid", Kids: []*rvNode{{Name: "leaf"}}}, {Name: "mid2"}}}
		if err := uow.Run(ctx, db, func(u *uow.Unit) error { return uow.Add(u, rvNodes.Table, root) }); err != nil {
			t.Fatal(err)
		}
		rec.reset()
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			got, err := uow.Find(ctx, u, repo.New(db, rvNodes.Table).OrderBy(rvNodes.ID.Asc()))
			if err != nil {
				return err
			}
			for _, n := range got {
				if err := uow.Delete(u, rvNodes.Table, n); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, rvNodes.Table); n != 0 {
			t.Errorf("%d nodes left", n)
		}
		t.Logf("writes: %s", writeOps(rec))
	})
}

// A graph added in a nested unit that fails can be added again by the
// outer unit, and is stored once with the right keys; so can one whose
// unit was rolled back after a flush, in a new unit.
func TestGraphAfterNestedFailureAndRollback(t *testing.T) {
	t.Parallel()
	eachEdge(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		f := &rvFolder{Name: "n", Files: []*rvFile{{Name: "x"}, {Name: "y"}}}
		u := begin(t, db)
		errBoom := errors.New("boom")
		if err := u.Nested(ctx, func(u *uow.Unit) error {
			if err := uow.Add(u, rvFolders.Table, f); err != nil {
				return err
			}
			if err := u.Flush(ctx); err != nil {
				return err
			}
			return errBoom
		}); !errors.Is(err, errBoom) {
			t.Fatalf("Nested: %v", err)
		}
		if f.ID != 0 || f.Files[0].ID != 0 {
			t.Errorf("keys kept after the nested unit failed: %d, %d", f.ID, f.Files[0].ID)
		}
		if err := uow.Add(u, rvFolders.Table, f); err != nil {
			t.Fatal(err)
		}
		if err := u.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if err := u.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
		if err := uow.Run(ctx, db, func(u *uow.Unit) error { return uow.Add(u, rvFolders.Table, f) }); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, rvFiles.Table); n != 2 {
			t.Errorf("%d files stored, want 2", n)
		}
		for _, x := range f.Files {
			if got := stored(t, db, rvFiles.Table, x.ID); got.FolderID != f.ID {
				t.Errorf("file %d has folder_id %d, want %d", x.ID, got.FolderID, f.ID)
			}
		}
	})
}

// A child added explicitly and reachable through its new parent's
// collection too is inserted once; a child moved between two loaded
// parents' collections is updated, not deleted as an orphan, whichever
// parent was loaded first.
func TestTwoPathsAndMove(t *testing.T) {
	t.Parallel()
	eachEdge(t, func(t *testing.T, db dialect.DB, rec *recorder) {
		ctx := context.Background()
		c := &rvFile{Name: "twice"}
		f := &rvFolder{Name: "p", Files: []*rvFile{c}}
		err := uow.Run(ctx, db, func(u *uow.Unit) error {
			if err := uow.Add(u, rvFiles.Table, c); err != nil {
				return err
			}
			return uow.Add(u, rvFolders.Table, f)
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, rvFiles.Table); n != 1 || c.FolderID != f.ID {
			t.Fatalf("%d files, folder_id %d; want 1, %d", n, c.FolderID, f.ID)
		}
		g := seedFolder(t, db, "q")
		for _, order := range [][]int64{{f.ID, g.ID}, {g.ID, f.ID}} {
			err = uow.Run(ctx, db, func(u *uow.Unit) error {
				var from, to *rvFolder
				for _, id := range order {
					got, err := uow.Find(ctx, u, repo.New(db, rvFolders.Table).Load(rvFolderFiles).Where(rvFolders.ID.Eq(id)))
					if err != nil {
						return err
					}
					if len(got[0].Files) == 1 {
						from = got[0]
					} else {
						to = got[0]
					}
				}
				to.Files = append(to.Files, from.Files[0])
				from.Files = []*rvFile{}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := stored(t, db, rvFiles.Table, c.ID); got == nil {
				t.Fatal("moved file deleted")
			}
		}
	})
}
