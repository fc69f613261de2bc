package migrate

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// NewFiles writes the files of a new migration named name into the
// directory dir, created if needed: <version>_<name>.up.sql and
// <version>_<name>.down.sql, the version one more than the highest in
// dir, written with four digits at least (0001, 0002, …). It returns the
// paths of the two files.
//
// Each file holds one comment saying what to write in it, and no SQL:
// Load refuses the up file until SQL is written in it, and Down refuses
// the down file (ErrEmptyDown) until SQL is written in it. Delete the
// down file of a migration that cannot be reverted.
//
// name must be lower-case ASCII letters, digits and '_'. NewFiles refuses
// a directory whose migration files Load would refuse for their names,
// and never overwrites a file.
func NewFiles(dir, name string) (up, down string, err error) {
	if name == "" || strings.Trim(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
		return "", "", fmt.Errorf("migrate: new: name %q: want lower-case letters, digits and '_'", name)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", errorf("migrate: new: %w", err)
	}
	pairs, err := scan(os.DirFS(dir), ".")
	if err != nil {
		return "", "", errorf("migrate: new: %s: %w", dir, err)
	}
	var version int64 = 1
	if len(pairs) > 0 {
		version = pairs[len(pairs)-1].version + 1
	}
	base := fmt.Sprintf("%04d_%s", version, name)
	up = filepath.Join(dir, base+upSuffix)
	down = filepath.Join(dir, base+downSuffix)
	if err := create(up, "-- "+base+": the SQL that applies this migration.\n"); err != nil {
		return "", "", errorf("migrate: new: %w", err)
	}
	text := "-- " + base + ": the SQL that reverts " + base + upSuffix + ".\n" +
		"-- Down refuses this file while it holds no SQL; delete it if the migration cannot be reverted.\n"
	if err := create(down, text); err != nil {
		_ = os.Remove(up)
		return "", "", errorf("migrate: new: %w", err)
	}
	return up, down, nil
}

// create writes a new file, refusing to overwrite one.
func create(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists", path)
	}
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
