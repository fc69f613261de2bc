package migrate_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/migrate"
)

func TestNewFiles(t *testing.T) {
	t.Parallel()
	d := filepath.Join(t.TempDir(), "migrations") // created by NewFiles
	up, down, err := migrate.NewFiles(d, "create_artist")
	if err != nil {
		t.Fatalf("NewFiles: %v", err)
	}
	if up != filepath.Join(d, "0001_create_artist.up.sql") || down != filepath.Join(d, "0001_create_artist.down.sql") {
		t.Errorf("NewFiles wrote %s and %s", up, down)
	}
	// The up file holds no SQL yet: Load refuses it, naming it.
	_, err = migrate.Load(os.DirFS(d), ".")
	wantErr(t, err, nil, "migrate: load: 0001_create_artist.up.sql: no SQL in the up file")

	// A second one follows the first, even with its up file still empty.
	up2, _, err := migrate.NewFiles(d, "add_index_2")
	if err != nil {
		t.Fatalf("NewFiles: %v", err)
	}
	if filepath.Base(up2) != "0002_add_index_2.up.sql" {
		t.Errorf("second: %s", up2)
	}
	for _, f := range []string{up, up2} {
		if err := os.WriteFile(f, []byte("SELECT 1;\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ms, err := migrate.Load(os.DirFS(d), ".")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	wantVersions(t, "Load", ms, 1, 2)
	if !ms[0].Reversible() || !strings.HasPrefix(ms[0].Down, "-- 0001_create_artist: ") {
		t.Errorf("down file: %+v", ms[0])
	}

	// Numbering follows the highest version, whatever its padding.
	if err := os.WriteFile(filepath.Join(d, "41_hand_written.up.sql"), []byte("SELECT 1;"), 0o644); err != nil {
		t.Fatal(err)
	}
	up3, _, err := migrate.NewFiles(d, "next")
	if err != nil || filepath.Base(up3) != "0042_next.up.sql" {
		t.Errorf("after 41: %s, %v", up3, err)
	}
}

func TestNewFilesRefuses(t *testing.T) {
	t.Parallel()
	d := t.TempDir()
	for _, name := range []string{"", "Add", "add-index", "add index", "../escape", "x.y", "é"} {
		_, _, err := migrate.NewFiles(d, name)
		wantErr(t, err, nil, "migrate: new: name ")
	}
	if entries, _ := os.ReadDir(d); len(entries) != 0 {
		t.Errorf("refused names wrote %d files", len(entries))
	}
	if err := os.WriteFile(filepath.Join(d, "1_a.sideways.sql"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := migrate.NewFiles(d, "b")
	wantErr(t, err, nil, "migrate: new: "+d+": 1_a.sideways.sql: bad name")

	// Never overwrites: a stray down file of the next version stops it,
	// and the up file it wrote first is removed again.
	d2 := t.TempDir()
	if err := os.WriteFile(filepath.Join(d2, "0001_a.up.sql"), []byte("SELECT 1;"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(d2, "0002_b.down.sql"), 0o755); err != nil { // a directory, so scan skips it
		t.Fatal(err)
	}
	_, _, err = migrate.NewFiles(d2, "b")
	wantErr(t, err, nil, "migrate: new: ")
	if !strings.Contains(err.Error(), "already exists") {
		t.Errorf("error %q does not say the file exists", err)
	}
	if _, err := os.Stat(filepath.Join(d2, "0002_b.up.sql")); !os.IsNotExist(err) {
		t.Errorf("the up file was left behind: %v", err)
	}
}
