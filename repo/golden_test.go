package repo_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/golden"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

// TestMain checks, after the tests, that every golden file is still used.
func TestMain(m *testing.M) { golden.Main(m) }

// The golden scenarios below record the statements each repository
// operation sends, on every dialect, and compare them with
// testdata/golden/<case>.<dialect>.sql (go test -update rewrites them), so
// that a change of shape shows up as a diff. Their models are their own,
// so that the files change only when the statements do.

// writer has a generated key, a unique name and a nullable country with a
// default, read back when the row leaves it NULL.
type writer struct {
	ID      int64
	Name    string
	Country *string
	Books   []*book
}

// book belongs to a writer, whose deletion deletes it; a book taken out of
// a writer's collection and saved is deleted too.
type book struct {
	ID       int64
	WriterID int64
	Title    string
	Pages    int
}

// draft is versioned.
type draft struct {
	ID      int64
	Title   string
	Body    string
	Version int64
}

// tag has nothing to write but its unique name.
type tag struct {
	ID   int64
	Name string
}

type writerTable struct {
	*mapped.Table[writer]
	ID      mapped.Column[writer, int64]
	Name    mapped.TextColumn[writer, string]
	Country mapped.TextColumn[writer, *string]
}

type bookTable struct {
	*mapped.Table[book]
	ID       mapped.Column[book, int64]
	WriterID mapped.Column[book, int64]
	Title    mapped.TextColumn[book, string]
	Pages    mapped.Column[book, int]
}

type draftTable struct {
	*mapped.Table[draft]
	ID      mapped.Column[draft, int64]
	Title   mapped.TextColumn[draft, string]
	Body    mapped.TextColumn[draft, string]
	Version mapped.Column[draft, int64]
}

type tagTable struct {
	*mapped.Table[tag]
	ID   mapped.Column[tag, int64]
	Name mapped.TextColumn[tag, string]
}

var (
	writers = mapped.Define("writer", func(t *mapped.Table[writer], w *writer) writerTable {
		return writerTable{Table: t,
			ID:      mapped.PrimaryKey(t, &w.ID),
			Name:    mapped.Text(t, &w.Name, mapped.Unique()),
			Country: mapped.Text(t, &w.Country, mapped.Default("UK")),
		}
	})
	books = mapped.Define("book", func(t *mapped.Table[book], b *book) bookTable {
		return bookTable{Table: t,
			ID:       mapped.PrimaryKey(t, &b.ID),
			WriterID: mapped.ForeignKey(t, &b.WriterID, writers.ID),
			Title:    mapped.Text(t, &b.Title),
			Pages:    mapped.Col(t, &b.Pages),
		}
	})
	drafts = mapped.Define("draft", func(t *mapped.Table[draft], d *draft) draftTable {
		return draftTable{Table: t,
			ID:      mapped.PrimaryKey(t, &d.ID),
			Title:   mapped.Text(t, &d.Title),
			Body:    mapped.Text(t, &d.Body),
			Version: mapped.Col(t, &d.Version, mapped.Version()),
		}
	})
	tags = mapped.Define("tag", func(t *mapped.Table[tag], g *tag) tagTable {
		return tagTable{Table: t,
			ID:   mapped.PrimaryKey(t, &g.ID),
			Name: mapped.Text(t, &g.Name, mapped.Unique()),
		}
	})
	writerBooks = relation.HasMany(books.WriterID, func(w *writer) *[]*book { return &w.Books })
)

// goldenDB is a database with the golden models' tables and a few rows:
// writers Ann (key 1, two books) and Bo (key 2, one book), and draft 1.
type goldenDB struct {
	t       *testing.T
	db      dialect.DB
	rec     *golden.Recorder
	writers *repo.Repo[writer]
	books   *repo.Repo[book]
	drafts  *repo.Repo[draft]
	tags    *repo.Repo[tag]
	ann, bo *writer
	draft   *draft
}

func newGoldenDB(t *testing.T, db dialect.DB) *goldenDB {
	t.Helper()
	// The model's DDL: book.writer_id is ON DELETE CASCADE, as the
	// model's cascade makes it.
	if err := testModel.CreateAll(context.Background(), db, writers.Table, books.Table, drafts.Table, tags.Table); err != nil {
		t.Fatalf("CreateAll: %v", err)
	}
	db, rec := golden.Record(db)
	db = testModel.Bind(db)
	g := &goldenDB{t: t, db: db, rec: rec,
		writers: repo.New(db, writers.Table), books: repo.New(db, books.Table),
		drafts: repo.New(db, drafts.Table), tags: repo.New(db, tags.Table),
		ann: &writer{Name: "Ann", Country: ptr("FR")}, bo: &writer{Name: "Bo", Country: ptr("DE")},
		draft: &draft{Title: "t", Body: "b"},
	}
	insertAll(t, g.writers, g.ann, g.bo)
	insertAll(t, g.books, &book{WriterID: g.ann.ID, Title: "A1", Pages: 100},
		&book{WriterID: g.ann.ID, Title: "A2", Pages: 200}, &book{WriterID: g.bo.ID, Title: "B1", Pages: 300})
	insertAll(t, g.drafts, g.draft)
	return g
}

// run runs one case: the statements fn sends are compared with the golden
// file of name, and an error from fn fails the test.
func (g *goldenDB) run(name string, fn func(ctx context.Context) error) {
	g.t.Helper()
	g.rec.Reset()
	if err := fn(context.Background()); err != nil {
		g.t.Errorf("%s: %v", name, err)
	}
	g.rec.Check(g.t, name, g.db.Dialect().Name())
}

// goldenCases runs cases on every dialect, each database seeded anew.
func goldenCases(t *testing.T, cases func(g *goldenDB)) {
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		cases(newGoldenDB(t, db))
	})
}

func TestGoldenInsert(t *testing.T) {
	t.Parallel()
	goldenCases(t, func(g *goldenDB) {
		g.run("insert_generated_key", func(ctx context.Context) error {
			return g.writers.Insert(ctx, &writer{Name: "Cy", Country: ptr("IT")})
		})
		g.run("insert_explicit_key", func(ctx context.Context) error {
			return g.writers.Insert(ctx, &writer{ID: 10, Name: "Di", Country: ptr("ES")})
		})
		g.run("insert_default_read_back", func(ctx context.Context) error {
			return g.writers.Insert(ctx, &writer{Name: "Ed"})
		})
		g.run("insert_versioned", func(ctx context.Context) error {
			return g.drafts.Insert(ctx, &draft{Title: "new", Body: "text"})
		})
		g.run("insert_many_one_chunk", func(ctx context.Context) error {
			return g.books.InsertMany(ctx, []*book{
				{WriterID: g.ann.ID, Title: "A3", Pages: 1},
				{WriterID: g.ann.ID, Title: "A4", Pages: 2},
				{WriterID: g.bo.ID, Title: "B2", Pages: 3},
			})
		})
		// Rows that leave different columns to the database go in one
		// INSERT each, in a transaction.
		g.run("insert_many_chunks", func(ctx context.Context) error {
			return g.writers.InsertMany(ctx, []*writer{
				{Name: "Fay", Country: ptr("NL")},
				{Name: "Gus", Country: ptr("BE")},
				{Name: "Hal"},
				{ID: 20, Name: "Ivy", Country: ptr("AT")},
			})
		})
	})
}

func TestGoldenQuery(t *testing.T) {
	t.Parallel()
	goldenCases(t, func(g *goldenDB) {
		g.run("get", func(ctx context.Context) error {
			_, err := g.writers.Get(ctx, g.ann.ID)
			return err
		})
		g.run("query_all", func(ctx context.Context) error {
			_, err := g.books.Where(books.Pages.Gt(50), books.Title.Like("A%")).
				OrderBy(books.Pages.Desc(), books.Title.Asc()).Limit(10).Offset(1).All(ctx)
			return err
		})
		g.run("query_distinct", func(ctx context.Context) error {
			_, err := g.books.Query().Distinct().OrderBy(books.Title.Asc()).All(ctx)
			return err
		})
		g.run("query_one", func(ctx context.Context) error {
			_, err := g.writers.Where(writers.Name.Eq("Bo")).One(ctx)
			return err
		})
		g.run("query_first", func(ctx context.Context) error {
			_, err := g.books.OrderBy(books.Pages.Asc()).First(ctx)
			return err
		})
		g.run("query_count", func(ctx context.Context) error {
			if _, err := g.books.Where(books.WriterID.Eq(g.ann.ID)).Count(ctx); err != nil {
				return err
			}
			_, err := g.books.OrderBy(books.Title.Asc()).Limit(2).Offset(1).Count(ctx)
			return err
		})
		g.run("query_count_distinct", func(ctx context.Context) error {
			_, err := g.books.Where(books.Pages.Ge(100)).Distinct().Count(ctx)
			return err
		})
		g.run("query_exists", func(ctx context.Context) error {
			_, err := g.writers.Where(writers.Country.IsNull()).Exists(ctx)
			return err
		})
		g.run("query_iter", func(ctx context.Context) error {
			for _, err := range g.books.Where(books.WriterID.In(g.ann.ID, g.bo.ID)).OrderBy(books.ID.Asc()).Iter(ctx) {
				if err != nil {
					return err
				}
			}
			return nil
		})
		g.run("query_load", func(ctx context.Context) error {
			_, err := g.writers.Load(writerBooks).OrderBy(writers.ID.Asc()).All(ctx)
			return err
		})
	})
}

func TestGoldenUpdate(t *testing.T) {
	t.Parallel()
	goldenCases(t, func(g *goldenDB) {
		g.run("update_every_column", func(ctx context.Context) error {
			g.ann.Name = "Anna"
			return g.writers.Update(ctx, g.ann)
		})
		// Named in another order than the table's: set in the table's.
		g.run("update_chosen_columns", func(ctx context.Context) error {
			g.bo.Country, g.bo.Name = ptr("PL"), "Bob"
			return g.writers.Update(ctx, g.bo, writers.Country, writers.Name)
		})
		g.run("update_versioned", func(ctx context.Context) error {
			g.draft.Body = "b2"
			return g.drafts.Update(ctx, g.draft)
		})
		g.run("update_versioned_chosen_column", func(ctx context.Context) error {
			g.draft.Title = "t2"
			return g.drafts.Update(ctx, g.draft, drafts.Title)
		})
		g.run("update_version_only", func(ctx context.Context) error {
			return g.drafts.Update(ctx, g.draft, drafts.Version)
		})
		// A row read at an older version: the UPDATE matches nothing, and
		// a SELECT of its key tells a stale row from a deleted one.
		g.run("update_stale", func(ctx context.Context) error {
			old := *g.draft
			old.Version--
			if err := g.drafts.Update(ctx, &old); !errors.Is(err, repo.ErrStale) {
				return fmt.Errorf("want ErrStale, got %v", err)
			}
			return nil
		})
		g.run("update_where", func(ctx context.Context) error {
			_, err := g.books.UpdateWhere(ctx, books.WriterID.Eq(g.bo.ID), books.Pages.Set(301), books.Title.Set("B1!"))
			return err
		})
	})
}

func TestGoldenDelete(t *testing.T) {
	t.Parallel()
	goldenCases(t, func(g *goldenDB) {
		g.run("delete", func(ctx context.Context) error {
			b, err := g.books.Where(books.Title.Eq("A2")).One(ctx)
			if err != nil {
				return err
			}
			g.rec.Reset()
			return g.books.Delete(ctx, b)
		})
		// A row read at an older version: the DELETE matches nothing, and
		// a SELECT of its key tells a stale row from a deleted one.
		g.run("delete_stale", func(ctx context.Context) error {
			old := *g.draft
			old.Version--
			if err := g.drafts.Delete(ctx, &old); !errors.Is(err, repo.ErrStale) {
				return fmt.Errorf("want ErrStale, got %v", err)
			}
			return nil
		})
		g.run("delete_versioned", func(ctx context.Context) error {
			return g.drafts.Delete(ctx, g.draft)
		})
		g.run("delete_cascade", func(ctx context.Context) error {
			return g.writers.Delete(ctx, g.ann)
		})
		g.run("delete_where", func(ctx context.Context) error {
			_, err := g.books.DeleteWhere(ctx, books.Pages.Gt(250))
			return err
		})
		g.run("delete_where_cascade", func(ctx context.Context) error {
			_, err := g.writers.DeleteWhere(ctx, writers.Name.HasPrefix("B"))
			return err
		})
	})
}

// Inside a caller's transaction, the cascades and the DELETE run in a
// savepoint.
func TestGoldenDeleteInTransaction(t *testing.T) {
	t.Parallel()
	goldenCases(t, func(g *goldenDB) {
		g.run("delete_cascade_in_transaction", func(ctx context.Context) error {
			return dialect.InTx(ctx, g.db, func(tx dialect.Executor) error {
				return g.writers.With(tx).Delete(ctx, g.bo)
			})
		})
	})
}

func TestGoldenUpsert(t *testing.T) {
	t.Parallel()
	goldenCases(t, func(g *goldenDB) {
		g.run("upsert_key_target", func(ctx context.Context) error {
			return g.writers.Upsert(ctx, &writer{ID: g.ann.ID, Name: "Ann", Country: ptr("CH")})
		})
		g.run("upsert_unique_target", func(ctx context.Context) error {
			return g.writers.Upsert(ctx, &writer{Name: "Bo", Country: ptr("SE")}, writers.Name)
		})
		// Nothing but the target to write: a no-op update returns the
		// stored row's key.
		g.run("upsert_nothing_to_update", func(ctx context.Context) error {
			return g.tags.Upsert(ctx, &tag{Name: "go"}, tags.Name)
		})
	})
}

func TestGoldenSaveCollection(t *testing.T) {
	t.Parallel()
	goldenCases(t, func(g *goldenDB) {
		g.run("save_collection", func(ctx context.Context) error {
			if _, err := writerBooks.Fetch(ctx, g.db, g.ann); err != nil {
				return err
			}
			moved, err := g.books.Where(books.Title.Eq("B1")).One(ctx)
			if err != nil {
				return err
			}
			// Keep A1, drop A2 (an orphan, deleted), take B1 from Bo and
			// add a new book.
			g.ann.Books = []*book{g.ann.Books[0], moved, {Title: "A9", Pages: 9}}
			g.rec.Reset()
			return repo.SaveCollection(ctx, g.db, writerBooks, g.ann)
		})
	})
}
