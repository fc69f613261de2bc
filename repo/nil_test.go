package repo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/checks"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

// A repository or query that was never made properly (the zero value, a
// nil executor or table) returns an error naming the call, never panics.
func TestUnusableRepo(t *testing.T) {
	t.Parallel()
	db := testdb.SQLite(t)
	ctx := context.Background()
	var zero repo.Repo[person]
	var nilRepo *repo.Repo[person]
	repos := map[string]*repo.Repo[person]{
		"zero Repo":       &zero,
		"nil *Repo":       nilRepo,
		"New(nil, table)": repo.New[person](nil, people.Table),
		"New(db, nil)":    repo.New[person](db, nil),
	}
	row := &person{ID: 1, Name: "a", Email: "a@example.com"}
	for name, r := range repos {
		checks.Refuses(t, name+".Insert", "repo: insert", func() error { return r.Insert(ctx, row) })
		checks.Refuses(t, name+".InsertMany", "repo: insert", func() error { return r.InsertMany(ctx, []*person{row}) })
		checks.Refuses(t, name+".Get", "repo: get", func() error { _, err := r.Get(ctx, 1); return err })
		checks.Refuses(t, name+".Update", "repo: update", func() error { return r.Update(ctx, row) })
		checks.Refuses(t, name+".Delete", "repo: delete", func() error { return r.Delete(ctx, row) })
		checks.Refuses(t, name+".Upsert", "repo: upsert", func() error { return r.Upsert(ctx, row) })
		checks.Refuses(t, name+".UpdateWhere", "repo: update", func() error {
			_, err := r.UpdateWhere(ctx, query.AllRows[person](), people.Name.Set("x"))
			return err
		})
		checks.Refuses(t, name+".DeleteWhere", "repo: delete", func() error {
			_, err := r.DeleteWhere(ctx, query.AllRows[person]())
			return err
		})
		checks.Refuses(t, name+".All", "repo: query", func() error { _, err := r.All(ctx); return err })
		checks.Refuses(t, name+".Count", "repo: count", func() error { _, err := r.Count(ctx); return err })
		checks.Refuses(t, name+".Where.One", "repo: one", func() error { _, err := r.Where(people.ID.Eq(1)).One(ctx); return err })
		checks.Refuses(t, name+".With(db).Get", "repo: get", func() error { _, err := r.With(db).Get(ctx, 1); return err })
	}
	var zq repo.Query[person]
	var nq *repo.Query[person]
	for name, q := range map[string]*repo.Query[person]{"zero Query": &zq, "nil *Query": nq} {
		checks.Refuses(t, name+".All", "repo: query", func() error { _, err := q.All(ctx); return err })
		checks.Refuses(t, name+".One", "repo: one", func() error { _, err := q.One(ctx); return err })
		checks.Refuses(t, name+".First", "repo: first", func() error { _, err := q.First(ctx); return err })
		checks.Refuses(t, name+".Count", "repo: count", func() error { _, err := q.Count(ctx); return err })
		checks.Refuses(t, name+".Exists", "repo: exists", func() error { _, err := q.Exists(ctx); return err })
		checks.Refuses(t, name+".Iter", "repo: query", func() error {
			for _, err := range q.Iter(ctx) {
				return err
			}
			return nil
		})
		checks.Refuses(t, name+".Where.Limit.All", "repo: query", func() error {
			_, err := q.Where(people.ID.Eq(1)).Limit(1).All(ctx)
			return err
		})
		checks.Refuses(t, name+".With(db).All", "repo: query", func() error { _, err := q.With(db).All(ctx); return err })
		if s := q.String(); !strings.Contains(s, "repo:") {
			t.Errorf("%s.String() = %q, want it to say what is wrong", name, s)
		}
	}
	checks.Refuses(t, "SaveCollection with a nil executor", "repo: save collection", func() error {
		return repo.SaveCollection[person, person](ctx, nil, (*relation.OneToMany[person, person])(nil), row)
	})
	checks.Refuses(t, "SaveCollection with a nil relation", "repo: save collection", func() error {
		return repo.SaveCollection[person, person](ctx, db, nil, row)
	})
	_ = dialect.DB(nil)
	_ = mapped.Schema(nil)
}
