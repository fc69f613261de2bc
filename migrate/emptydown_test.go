package migrate_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/migrate"
)

// A down file holding no SQL (only comments and white space, as NewFiles
// writes it) is refused by Down before anything is reverted, naming the
// file, with ErrEmptyDown: reverting by running nothing would report a
// migration reverted whose changes stay. Up still applies it; deleting
// the down file marks it irreversible (ErrIrreversible), and SQL written
// in it reverts it.
func TestEmptyDownRefused(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, open func(...dialect.Option) dialect.DB) {
		ctx := context.Background()
		db := open()
		d := t.TempDir()
		up, down, err := migrate.NewFiles(d, "artist")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(up, []byte("CREATE TABLE artist (id INTEGER PRIMARY KEY);\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		up2, _, err := migrate.NewFiles(d, "album")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(up2, []byte("CREATE TABLE album (id INTEGER PRIMARY KEY);\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		runner := func() *migrate.Runner {
			t.Helper()
			r, err := migrate.New(db, os.DirFS(d), ".", migrate.Options{})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			return r
		}
		r := runner()
		if _, err := r.Up(ctx, 0); err != nil {
			t.Fatalf("Up: %v", err)
		}
		for _, n := range []int{1, 2} {
			done, err := r.Down(ctx, n)
			wantErr(t, err, migrate.ErrEmptyDown, "migrate: down: 0002_album.down.sql: no SQL in the down file")
			wantVersions(t, "Down", done)
		}
		wantStates(t, r, "1 applied, 2 applied")
		if !tableExists(t, db, "album") {
			t.Errorf("album dropped by a refused Down")
		}
		// Marked irreversible by deleting its down file: ErrIrreversible.
		if err := os.Remove(filepath.Join(d, "0002_album.down.sql")); err != nil {
			t.Fatal(err)
		}
		_, err = runner().Down(ctx, 1)
		wantErr(t, err, migrate.ErrIrreversible, "migrate: down: 0002_album.up.sql: ")
		// With SQL in it, it reverts; then 0001's empty down is refused.
		if err := os.WriteFile(filepath.Join(d, "0002_album.down.sql"), []byte("DROP TABLE album;\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		r = runner()
		if done, err := r.Down(ctx, 1); err != nil {
			t.Fatalf("Down with SQL in the down file: %v", err)
		} else {
			wantVersions(t, "Down", done, 2)
		}
		_, err = r.Down(ctx, 1)
		wantErr(t, err, migrate.ErrEmptyDown, "migrate: down: "+filepath.Base(down)+": no SQL in the down file")
		wantStates(t, r, "1 applied, 2 pending")
	})
}
