package repo_test

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/integration"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

type smokeRow struct {
	ID   int64
	Name string
}

var smokes = mapped.Define("smoke", func(t *mapped.Table[smokeRow], r *smokeRow) struct {
	*mapped.Table[smokeRow]
	Name mapped.TextColumn[smokeRow, string]
} {
	mapped.PrimaryKey(t, "id", &r.ID)
	return struct {
		*mapped.Table[smokeRow]
		Name mapped.TextColumn[smokeRow, string]
	}{t, mapped.Text(t, "name", &r.Name)}
})

func TestSmoke(t *testing.T) {
	integration.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		if err := mapped.CreateAll(ctx, db, smokes.Table); err != nil {
			t.Fatal(err)
		}
		r := repo.New(db, smokes.Table)
		row := &smokeRow{Name: "x"}
		if err := r.Insert(ctx, row); err != nil || row.ID != 1 {
			t.Fatalf("insert: %v id=%d", err, row.ID)
		}
	})
}
