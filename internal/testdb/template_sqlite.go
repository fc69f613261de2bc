package testdb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/sqlite"
)

// On SQLite a template is a file, <hash>.db in the user's cache directory
// (genrepo/templates), built in a directory <hash>-<random>.tmp beside
// it and renamed into place when complete: several test binaries may
// build one at once, the last rename wins, and no half-built file is ever
// under the template's name. Its age is its file's. A clone is a copy of
// it in a new temporary directory.

// buildLeftover is how old a .tmp directory must be to be taken for what
// a crashed build left, rather than a build under way.
const buildLeftover = time.Hour

// sqliteTemplate returns the path of the SQLite template of hash,
// building it when it is missing or older than TemplateMaxAge. It sweeps
// what is stale first.
func (e *Env) sqliteTemplate(ctx context.Context, hash string, build func(context.Context, dialect.DB) error, now time.Time) (string, error) {
	if err := os.MkdirAll(e.cacheDir, 0o700); err != nil {
		return "", err
	}
	sweepFiles(e.cacheDir, now)
	sweepFiles(e.keptDir, now)
	path := filepath.Join(e.cacheDir, hash+".db")
	if fi, err := os.Stat(path); err == nil && !expired(fi.ModTime(), now, TemplateMaxAge) {
		return path, nil
	}
	return path, buildFile(ctx, path, hash, build)
}

// buildFile builds a template and renames it to path: build runs on a
// database in a new directory beside path, which VACUUM INTO copies into
// one file (no write-ahead log beside it).
func buildFile(ctx context.Context, path, hash string, build func(context.Context, dialect.DB) error) error {
	work, err := os.MkdirTemp(filepath.Dir(path), hash+"-*.tmp")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	db, err := sqlite.Open(ctx, filepath.Join(work, "build.db"))
	if err != nil {
		return err
	}
	out := filepath.Join(work, "template.db")
	if err = build(ctx, db); err != nil {
		err = fmt.Errorf("build: %w", err)
	} else if _, err = db.Exec(ctx, "VACUUM INTO ?", out); err != nil {
		err = fmt.Errorf("copy: %w", err)
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(out, path)
}

// sweepFiles removes, best effort, what is stale in the directory dir:
// templates expired for a day, .tmp directories a crashed build left,
// and kept databases of failed tests older than KeptMaxAge.
func sweepFiles(dir string, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, de := range entries {
		fi, err := de.Info()
		if err != nil {
			continue
		}
		name, age := de.Name(), now.Sub(fi.ModTime())
		var stale bool
		switch {
		case strings.HasSuffix(name, ".tmp"):
			stale = age > buildLeftover
		case strings.HasPrefix(name, keptPrefix):
			stale = age > KeptMaxAge
		case strings.HasSuffix(name, ".db"):
			stale = age > TemplateMaxAge+templateGrace
		}
		if stale {
			_ = os.RemoveAll(filepath.Join(dir, name))
		}
	}
}

// keptPrefix begins the name of every file Keep keeps.
const keptPrefix = "genrepo-failed-"

// sqliteClone copies the template at path into a new temporary directory
// and opens it.
func (e *Env) sqliteClone(ctx context.Context, path string, opts []dialect.Option) (*Clone, error) {
	dir, err := os.MkdirTemp("", "genrepo-clone-*")
	if err != nil {
		return nil, err
	}
	file := filepath.Join(dir, "test.db")
	if err := copyFile(path, file); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("clone %s: %w", path, err)
	}
	db, err := sqlite.Open(ctx, file, opts...)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("clone %s: %w", path, err)
	}
	return &Clone{dialect: "sqlite", db: db, dir: dir, keptDir: e.keptDir}, nil
}

// keepFile moves the closed clone's file, and its write-ahead log if one
// is left, into the directory of kept databases, under a name that says
// which test failed and when.
func (c *Clone) keepFile(test string) (string, error) {
	if err := os.MkdirAll(c.keptDir, 0o700); err != nil {
		return "", err
	}
	kept := filepath.Join(c.keptDir, keptPrefix+fileName(test)+"-"+
		strconv.FormatInt(time.Now().Unix(), 10)+"-"+randomName(4)+".db")
	src := filepath.Join(c.dir, "test.db")
	for _, suffix := range []string{"", "-wal"} {
		err := moveFile(src+suffix, kept+suffix)
		if suffix != "" && errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", err
		}
	}
	return kept, os.RemoveAll(c.dir)
}

// moveFile renames src to dst, or copies it where they are on different
// file systems.
func moveFile(src, dst string) error {
	if err := os.Rename(src, dst); err == nil || errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := copyFile(src, dst); err != nil {
		return err
	}
	return os.Remove(src)
}

// copyFile copies the file src to dst, which must not exist.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}
