package repo_test

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/integration"
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
		ID:      mapped.PrimaryKey(t, "id", &d.ID),
		Title:   mapped.Text(t, "title", &d.Title),
		Body:    mapped.Text(t, "body", &d.Body),
		Version: mapped.Col(t, "version", &d.Version, mapped.Version()),
	}
})

// An UPDATE of the version column alone and an UPDATE of every column are
// two statements; whichever runs first, the other must not reuse its text
// (a false ErrStale, or a missing argument).
func TestUpdateShapesAreNotShared(t *testing.T) {
	t.Parallel()
	integration.Each(t, func(t *testing.T, db dialect.DB) {
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
