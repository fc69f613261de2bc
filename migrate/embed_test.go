package migrate_test

import (
	"context"
	"embed"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/migrate"
)

//go:embed testdata/migrations
var embedded embed.FS

// Migrations embedded in the binary load and apply as any others.
func TestEmbed(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, open func(...dialect.Option) dialect.DB) {
		r, err := migrate.New(open(), embedded, "testdata/migrations", migrate.Options{})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		wantVersions(t, "Migrations", r.Migrations(), 1, 2)
		done, err := r.Up(context.Background(), 0)
		if err != nil {
			t.Fatalf("Up: %v", err)
		}
		wantVersions(t, "Up", done, 1, 2)
		if r.Migrations()[1].Reversible() {
			t.Errorf("0002 has no down file, yet is reversible")
		}
	})
}
