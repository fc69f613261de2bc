package repo_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/integration"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/relation"
	"github.com/genrepo/genrepo/repo"
)

// call runs fn, turning a panic into a test failure, and checks that it
// returned an error whose message contains want.
func call(t *testing.T, name, want string, fn func() error) {
	t.Helper()
	var err error
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v", p)
				t.Errorf("%s panicked: %v", name, p)
			}
		}()
		err = fn()
	}()
	if err == nil {
		t.Errorf("%s: no error", name)
		return
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("%s: error %q, want it to say %q", name, err, want)
	}
}

// A repository or query that was never made properly (the zero value, a
// nil executor or table) returns an error naming the call, never panics.
func TestUnusableRepo(t *testing.T) {
	t.Parallel()
	db := integration.SQLite(t)
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
		call(t, name+".Insert", "repo: insert", func() error { return r.Insert(ctx, row) })
		call(t, name+".InsertMany", "repo: insert", func() error { return r.InsertMany(ctx, []*person{row}) })
		call(t, name+".Get", "repo: get", func() error { _, err := r.Get(ctx, 1); return err })
		call(t, name+".Update", "repo: update", func() error { return r.Update(ctx, row) })
		call(t, name+".Delete", "repo: delete", func() error { return r.Delete(ctx, row) })
		call(t, name+".Upsert", "repo: upsert", func() error { return r.Upsert(ctx, row) })
		call(t, name+".UpdateWhere", "repo: update", func() error {
			_, err := r.UpdateWhere(ctx, query.AllRows[person](), people.Name.Set("x"))
			return err
		})
		call(t, name+".DeleteWhere", "repo: delete", func() error {
			_, err := r.DeleteWhere(ctx, query.AllRows[person]())
			return err
		})
		call(t, name+".PrepareInsert", "repo: insert", func() error { _, err := r.PrepareInsert([]*person{row}); return err })
		call(t, name+".PrepareUpdate", "repo: update", func() error { _, err := r.PrepareUpdate(row); return err })
		call(t, name+".PrepareDelete", "repo: delete", func() error { _, err := r.PrepareDelete(row); return err })
		call(t, name+".Cascade", "repo: delete", func() error { return r.Cascade(ctx, []*person{row}) })
		call(t, name+".All", "repo: query", func() error { _, err := r.All(ctx); return err })
		call(t, name+".Count", "repo: count", func() error { _, err := r.Count(ctx); return err })
		call(t, name+".Where.One", "repo: one", func() error { _, err := r.Where(people.ID.Eq(1)).One(ctx); return err })
		call(t, name+".With(db).Get", "repo: get", func() error { _, err := r.With(db).Get(ctx, 1); return err })
	}
	var zq repo.Query[person]
	var nq *repo.Query[person]
	for name, q := range map[string]*repo.Query[person]{"zero Query": &zq, "nil *Query": nq} {
		call(t, name+".All", "repo: query", func() error { _, err := q.All(ctx); return err })
		call(t, name+".One", "repo: one", func() error { _, err := q.One(ctx); return err })
		call(t, name+".First", "repo: first", func() error { _, err := q.First(ctx); return err })
		call(t, name+".Count", "repo: count", func() error { _, err := q.Count(ctx); return err })
		call(t, name+".Exists", "repo: exists", func() error { _, err := q.Exists(ctx); return err })
		call(t, name+".Iter", "repo: query", func() error {
			for _, err := range q.Iter(ctx) {
				return err
			}
			return nil
		})
		call(t, name+".Where.Limit.All", "repo: query", func() error {
			_, err := q.Where(people.ID.Eq(1)).Limit(1).All(ctx)
			return err
		})
		call(t, name+".With(db).All", "repo: query", func() error { _, err := q.With(db).All(ctx); return err })
		if s := q.String(); !strings.Contains(s, "repo:") {
			t.Errorf("%s.String() = %q, want it to say what is wrong", name, s)
		}
	}
	call(t, "SaveCollection with a nil executor", "repo: save collection", func() error {
		return repo.SaveCollection[person, person](ctx, nil, (*relation.OneToMany[person, person])(nil), row)
	})
	call(t, "SaveCollection with a nil relation", "repo: save collection", func() error {
		return repo.SaveCollection[person, person](ctx, db, nil, row)
	})
	_ = dialect.DB(nil)
	_ = mapped.Schema(nil)
}
