package migrate_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/genrepo/genrepo/migrate"
)

func TestLoad(t *testing.T) {
	t.Parallel()
	fsys := with(music,
		"README.md", "not a migration",
		"drafts/0009_draft.up.sql", "SELECT 1;", // a subdirectory is not read
		"12_late.up.sql", "/* nested /* comment */ */ SELECT 1;",
	)
	ms, err := migrate.Load(fsys, ".")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	wantVersions(t, "Load", ms, 1, 2, 3, 12)
	m := ms[1]
	if m.Name != "country" || m.UpFile != "0002_country.up.sql" || m.DownFile != "0002_country.down.sql" ||
		!strings.HasPrefix(m.Up, "-- a column") || !strings.HasPrefix(m.Down, "DROP INDEX") || !m.Reversible() {
		t.Errorf("0002: got %+v", m)
	}
	if ms[2].Reversible() || ms[2].DownFile != "" || ms[2].String() != "0003_album" {
		t.Errorf("0003: got %+v, want no down file", ms[2])
	}
	if ms[3].String() != "12_late" {
		t.Errorf("12: String() = %q", ms[3].String())
	}
	if ms[0].Checksum == ms[1].Checksum {
		t.Errorf("two files, one checksum")
	}

	sub, err := migrate.Load(fstest.MapFS{"db/migrations/1_a.up.sql": {Data: []byte("SELECT 1;")}}, "db/migrations")
	if err != nil || len(sub) != 1 {
		t.Errorf("Load of a subdirectory: %v, %v", sub, err)
	}
	empty, err := migrate.Load(fstest.MapFS{"x.txt": {}}, ".")
	if err != nil || len(empty) != 0 {
		t.Errorf("Load of a directory without migrations: %v, %v", empty, err)
	}
}

func TestLoadDirFS(t *testing.T) {
	t.Parallel()
	d := t.TempDir()
	for name, text := range map[string]string{
		"0001_a.up.sql":   "CREATE TABLE a (id INTEGER);",
		"0001_a.down.sql": "DROP TABLE a;",
	} {
		if err := os.WriteFile(filepath.Join(d, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ms, err := migrate.Load(os.DirFS(d), ".")
	if err != nil || len(ms) != 1 || ms[0].Down != "DROP TABLE a;" {
		t.Fatalf("Load(os.DirFS): %+v, %v", ms, err)
	}
	// The checksum is sha256sum's of the up file.
	if want := "5d8d272f6897eee56ebb6fa0b4db68595635b838afea6319ce9ac2659b097df7"; ms[0].Checksum != want {
		t.Errorf("checksum: got %s, want %s", ms[0].Checksum, want)
	}
	_, err = migrate.Load(os.DirFS(d), "missing")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load of a missing directory: %v, want fs.ErrNotExist", err)
	}
}

func TestLoadRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files fstest.MapFS
		want  string // the error's start
	}{
		{"duplicate up", dir("0002_a.up.sql", "SELECT 1;", "0002_b.up.sql", "SELECT 1;"),
			"migrate: load: 0002_b.up.sql: duplicate version 2: 0002_a.up.sql has it"},
		{"duplicate by padding", dir("0002_a.up.sql", "SELECT 1;", "2_a.up.sql", "SELECT 1;"),
			"migrate: load: 2_a.up.sql: duplicate version 2: 0002_a.up.sql has it"},
		{"down of another name", dir("0002_a.up.sql", "SELECT 1;", "0002_b.down.sql", "SELECT 1;"),
			"migrate: load: 0002_b.down.sql: duplicate version 2: 0002_a.up.sql has it under another name"},
		{"down without up", dir("0001_a.up.sql", "SELECT 1;", "0002_b.down.sql", "SELECT 1;"),
			"migrate: load: 0002_b.down.sql: a down file without its up file (0002_b.up.sql)"},
		{"empty up", dir("0001_a.up.sql", ""), "migrate: load: 0001_a.up.sql: no SQL in the up file"},
		{"blank up", dir("0001_a.up.sql", " \n\t-- nothing; here\n/* nor /* here */ */\n-- last"),
			"migrate: load: 0001_a.up.sql: no SQL in the up file"},
		{"no direction", dir("0001_a.sql", "SELECT 1;"), "migrate: load: 0001_a.sql: bad name"},
		{"other direction", dir("0001_a.sideways.sql", "SELECT 1;"), "migrate: load: 0001_a.sideways.sql: bad name"},
		{"no version", dir("a.up.sql", "SELECT 1;"), "migrate: load: a.up.sql: bad name"},
		{"no name", dir("0001.up.sql", "SELECT 1;"), "migrate: load: 0001.up.sql: bad name"},
		{"empty name", dir("0001_.up.sql", "SELECT 1;"), "migrate: load: 0001_.up.sql: bad name"},
		{"letters in version", dir("v1_a.up.sql", "SELECT 1;"), "migrate: load: v1_a.up.sql: bad name"},
		{"negative version", dir("-1_a.up.sql", "SELECT 1;"), "migrate: load: -1_a.up.sql: bad name"},
		{"zero version", dir("0000_a.up.sql", "SELECT 1;"), "migrate: load: 0000_a.up.sql: bad name: the version must be a positive integer"},
		{"huge version", dir("99999999999999999999_a.up.sql", "SELECT 1;"), "migrate: load: 99999999999999999999_a.up.sql: bad name"},
		{"space in name", dir("0001_a b.up.sql", "SELECT 1;"), "migrate: load: 0001_a b.up.sql: bad name"},
		{"dot in name", dir("0001_a.b.up.sql", "SELECT 1;"), "migrate: load: 0001_a.b.up.sql: bad name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ms, err := migrate.Load(tt.files, ".")
			if err == nil {
				t.Fatalf("Load succeeded: %v", versions(ms))
			}
			wantErr(t, err, nil, tt.want)
		})
	}
}

// Load and New given no file system (a nil fs.FS) return an error saying
// so, instead of panicking; New given no database does too.
func TestLoadNilFS(t *testing.T) {
	t.Parallel()
	ms, err := migrate.Load(nil, "migrations")
	if ms != nil {
		t.Errorf("Load(nil) returned migrations %v", versions(ms))
	}
	wantErr(t, err, nil, "migrate: load: no file system (a nil fs.FS) to read migrations from")
	_, err = migrate.New(nil, dir("0001_a.up.sql", "SELECT 1;"), ".", migrate.Options{})
	wantErr(t, err, nil, "migrate: no database (a nil dialect.DB)")
}
