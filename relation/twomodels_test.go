package relation_test

import (
	"context"
	"errors"
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

// Two models over the same two tables, private to this file: a folder's
// documents go with it in one (cascadingModel), keep it from being deleted
// in the other (restrictingModel). The foreign key declares no ON DELETE of
// its own, so that both models may give it theirs; the tables are created
// by mapped.CreateAll, with no ON DELETE at all, so that what a delete does
// is the cascade of the model its handle is bound to, or, on a plain
// handle, the database's default: a refusal.
type tmFolder struct {
	ID   int64
	Name string
}

type tmDocument struct {
	ID       int64
	FolderID int64
	Name     string
}

type tmFolderTable struct {
	*mapped.Table[tmFolder]
	ID   mapped.Column[tmFolder, int64]
	Name mapped.TextColumn[tmFolder, string]
}

type tmDocumentTable struct {
	*mapped.Table[tmDocument]
	ID       mapped.Column[tmDocument, int64]
	FolderID mapped.Column[tmDocument, int64]
	Name     mapped.TextColumn[tmDocument, string]
}

var (
	tmFolders = mapped.Define("tm_folder", func(t *mapped.Table[tmFolder], f *tmFolder) tmFolderTable {
		return tmFolderTable{Table: t, ID: mapped.PrimaryKey(t, &f.ID), Name: mapped.Text(t, &f.Name)}
	})
	tmDocuments = mapped.Define("tm_document", func(t *mapped.Table[tmDocument], d *tmDocument) tmDocumentTable {
		return tmDocumentTable{Table: t,
			ID:       mapped.PrimaryKey(t, &d.ID),
			FolderID: mapped.ForeignKey(t, &d.FolderID, tmFolders.ID),
			Name:     mapped.Text(t, &d.Name),
		}
	})
	tmFolderDocuments = relation.HasMany(tmDocuments.FolderID,
		func(*tmFolder) *[]*tmDocument { return new([]*tmDocument) })

	cascadingModel = model.MustNew(
		model.Tables(tmFolders.Table, tmDocuments.Table),
		model.OnDelete(tmFolderDocuments, mapped.Cascade),
	)
	restrictingModel = model.MustNew(
		model.Tables(tmFolders.Table, tmDocuments.Table),
		model.OnDelete(tmFolderDocuments, mapped.Restrict),
	)
)

// TestTwoModelsOverOneSchema shows, on each dialect, two models over the
// same tables with different cascades coexisting in one process, with a
// plain handle beside them: deleting a folder that holds documents through
// the cascading model's handle deletes the documents, through the
// restricting model's is refused with model.ErrRestricted, and through the
// plain handle is refused by the database's foreign key; the refusals
// leave every row.
func TestTwoModelsOverOneSchema(t *testing.T) {
	tables := []mapped.Schema{tmFolders.Table, tmDocuments.Table}
	fkDDL := `FOREIGN KEY ("folder_id") REFERENCES "tm_folder" ("id")`
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()

		// Each model writes its own ON DELETE; one set of tables can carry
		// only one, so they are created with none.
		for _, c := range []struct {
			name string
			sql  func(dialect.Dialect, ...mapped.Schema) ([]string, error)
			want string
		}{
			{"cascadingModel.CreateSQL", cascadingModel.CreateSQL, fkDDL + " ON DELETE CASCADE"},
			{"restrictingModel.CreateSQL", restrictingModel.CreateSQL, fkDDL + " ON DELETE RESTRICT"},
			{"mapped.CreateSQL", mapped.CreateSQL, fkDDL + "\n"},
		} {
			stmts, err := c.sql(db.Dialect(), tables...)
			must(t, c.name, err)
			if ddl := strings.Join(stmts, "\n"); !strings.Contains(ddl, c.want) {
				t.Errorf("%s lacks %q:\n%s", c.name, c.want, ddl)
			}
		}
		must(t, "CreateAll", mapped.CreateAll(ctx, db, tables...))

		cascading, restricting := cascadingModel.Bind(db), restrictingModel.Bind(db)
		if model.Of(cascading) != cascadingModel || model.Of(restricting) != restrictingModel || model.Of(db) != nil {
			t.Fatalf("model.Of: got %p, %p, %p; want %p, %p, nil",
				model.Of(cascading), model.Of(restricting), model.Of(db), cascadingModel, restrictingModel)
		}

		// Two folders of two documents each, and an empty one.
		full, other, empty := &tmFolder{Name: "full"}, &tmFolder{Name: "other"}, &tmFolder{Name: "empty"}
		insertMany(t, db, tmFolders.Table, []*tmFolder{full, other, empty})
		insertMany(t, db, tmDocuments.Table, []*tmDocument{
			{FolderID: full.ID, Name: "f1"}, {FolderID: full.ID, Name: "f2"},
			{FolderID: other.ID, Name: "o1"}, {FolderID: other.ID, Name: "o2"},
		})
		rows := func(t *testing.T) [2]int64 {
			t.Helper()
			return [2]int64{count(t, db, tmFolders.Table), count(t, db, tmDocuments.Table)}
		}
		// documents returns the names of the documents left, in order.
		documents := func(t *testing.T) []string {
			t.Helper()
			ds, err := repo.New(db, tmDocuments.Table).OrderBy(tmDocuments.Name.Asc()).All(ctx)
			must(t, "documents", err)
			return names(ds, func(d *tmDocument) string { return d.Name })
		}
		if got := rows(t); got != [2]int64{3, 4} {
			t.Fatalf("seeded: got %v, want [3 4]", got)
		}

		// refusals deletes folder through the plain handle and the
		// restricting model's, each refused, nothing deleted.
		refusals := func(t *testing.T, folder *tmFolder) {
			t.Helper()
			start, docs := rows(t), documents(t)
			for _, c := range []struct {
				name string
				run  func() error
				want func(error) bool
			}{
				{"plain handle: Delete", func() error { return repo.New(db, tmFolders.Table).Delete(ctx, folder) }, isForeignKey},
				{"plain handle: DeleteWhere", func() error {
					_, err := repo.New(db, tmFolders.Table).DeleteWhere(ctx, tmFolders.ID.Eq(folder.ID))
					return err
				}, isForeignKey},
				{"restricting model: Delete", func() error {
					return repo.New(restricting, tmFolders.Table).Delete(ctx, folder)
				}, isRestricted},
				{"restricting model: DeleteWhere of every folder", func() error {
					_, err := repo.New(restricting, tmFolders.Table).DeleteWhere(ctx, query.AllRows[tmFolder]())
					return err
				}, isRestricted},
				{"restricting model: Delete in a transaction begun from its handle", func() error {
					return dialect.InTx(ctx, restricting, func(tx dialect.Executor) error {
						return repo.New(tx, tmFolders.Table).Delete(ctx, folder)
					})
				}, isRestricted},
			} {
				err := c.run()
				if !c.want(err) {
					t.Errorf("%s of %s: got %v", c.name, folder.Name, err)
				}
				if got := rows(t); got != start {
					t.Errorf("%s of %s: rows after the refused delete: got %v, want %v", c.name, folder.Name, got, start)
				}
				wantNames(t, c.name+": documents after the refused delete", documents(t), docs)
			}
		}

		t.Run("refused before", func(t *testing.T) { refusals(t, full) })
		t.Run("cascading model deletes the documents", func(t *testing.T) {
			must(t, "Delete", repo.New(cascading, tmFolders.Table).Delete(ctx, full))
			if got, want := rows(t), [2]int64{2, 2}; got != want {
				t.Errorf("rows: got %v, want %v", got, want)
			}
			wantNames(t, "documents left", documents(t), []string{"o1", "o2"})
			if _, err := repo.New(db, tmFolders.Table).Get(ctx, full.ID); !errors.Is(err, repo.ErrNotFound) {
				t.Errorf("the deleted folder: got %v, want ErrNotFound", err)
			}
		})
		// The cascading model's delete changed nothing of the others: they
		// still refuse, for the other folder.
		t.Run("refused after", func(t *testing.T) { refusals(t, other) })
		t.Run("what each model allows", func(t *testing.T) {
			must(t, "Delete through the restricting model", repo.New(restricting, tmFolders.Table).Delete(ctx, empty))
			if got, want := rows(t), [2]int64{1, 2}; got != want {
				t.Errorf("rows: got %v, want %v", got, want)
			}
			n, err := repo.New(cascading, tmFolders.Table).DeleteWhere(ctx, tmFolders.ID.Eq(other.ID))
			if err != nil || n != 1 {
				t.Fatalf("DeleteWhere through the cascading model: got %d, %v; want 1", n, err)
			}
			if got := rows(t); got != [2]int64{} {
				t.Errorf("rows: got %v, want none", got)
			}
		})
	})
}

// isForeignKey reports whether err is the database's refusal of a delete
// that rows still reference.
func isForeignKey(err error) bool {
	var ce *dialect.ConstraintError
	return errors.As(err, &ce) && errors.Is(err, dialect.ErrForeignKey)
}

// isRestricted reports whether err is a model's Restrict refusing a delete.
func isRestricted(err error) bool { return errors.Is(err, model.ErrRestricted) }
