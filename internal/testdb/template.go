package testdb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
)

// Template is a schema that tests get copies of: built once per server
// (PostgreSQL) or per machine (SQLite), then cloned for each test, which
// is faster than building it again when Build is slow (many migrations,
// seed data).
type Template struct {
	// Key is everything the database Build makes depends on, such as the
	// names and contents of the migration files it applies, or the DDL it
	// runs. Two templates with the same Key and dialect are taken to be
	// the same, across test binaries: a template is found again by a hash
	// of its Key and dialect. It must not be empty.
	Key string
	// Build makes the schema, and any data, in an empty database of the
	// template's dialect. It runs once per template, as long as the
	// template lasts (TemplateMaxAge).
	Build func(ctx context.Context, db dialect.DB) error
}

// How long templates and the databases of failed tests are kept.
const (
	// TemplateMaxAge is how long a template is used after it was built;
	// an older one is built again, under a new name, at its first use by a
	// test binary, and the old one removed a day later.
	TemplateMaxAge = 7 * 24 * time.Hour
	// KeptMaxAge is how long the database of a failed test is kept for
	// inspection.
	KeptMaxAge = 7 * 24 * time.Hour
	// templateGrace is how long an expired template outlives its
	// replacement, for the test binaries still cloning it.
	templateGrace = 24 * time.Hour
)

// templateVersion is part of every template's hash: changing how
// templates are built changes it, so none built the old way is used.
const templateVersion = "genrepo template 1"

// templateHash is the hash that names the template of key on the named
// dialect, in 16 hexadecimal digits.
func templateHash(name, key string) string {
	h := sha256.Sum256([]byte(templateVersion + "\x00" + name + "\x00" + key))
	return hex.EncodeToString(h[:8])
}

// templates remembers the templates a test binary has made sure of, so
// that each is looked for, and built, once per binary.
type templates struct {
	m sync.Map // dialect name + hash → *ensured
}

// ensured is a template made sure of: its PostgreSQL database name or its
// SQLite file, or why it could not be had.
type ensured struct {
	once sync.Once
	ref  string
	err  error
}

// Clone returns a new database of the named dialect ("sqlite" or
// "postgres") holding a copy of tmpl, built first if it does not exist
// yet. When the test ends the database is closed and removed, unless the
// test failed: then it is kept for inspection (KeptMaxAge) and the test's
// log says where. On PostgreSQL it skips or fails the test, as the
// package documentation says, when no server can be had; a template that
// cannot be built fails it.
func (e *Env) Clone(t testing.TB, name string, tmpl Template, opts ...dialect.Option) dialect.DB {
	t.Helper()
	if name == "postgres" {
		e.requireServer(t)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c, err := e.NewClone(ctx, name, tmpl, opts...)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		if !t.Failed() {
			if err := c.Drop(ctx); err != nil {
				t.Errorf("testdb: %v", err)
			}
			return
		}
		where, err := c.Keep(ctx, t.Name())
		if err != nil {
			t.Errorf("testdb: keeping the failed test's database: %v", err)
			return
		}
		t.Logf("testdb: kept database %s for inspection (%s)", where, c.hint(where))
	})
	return c.DB()
}

// A Clone is a database copied from a template for one user, which Drop
// removes or Keep keeps. Clone (the method of Env) is its usual form;
// NewClone is for a benchmark or a test of keeping.
type Clone struct {
	dialect string
	db      dialect.DB
	name    string   // the PostgreSQL database
	srv     pgServer // its server
	dir     string   // the SQLite file's directory, removed by Drop and Keep
	keptDir string   // where Keep moves the SQLite file
}

// NewClone returns a new clone of tmpl on the named dialect, building the
// template first if it does not exist. The caller must Drop it, or Keep
// it. Errors name the template's hash and wrap what failed; on
// PostgreSQL, having no server is one.
func (e *Env) NewClone(ctx context.Context, name string, tmpl Template, opts ...dialect.Option) (*Clone, error) {
	if tmpl.Key == "" || tmpl.Build == nil {
		return nil, errors.New("clone: a template needs a Key and a Build function")
	}
	hash := templateHash(name, tmpl.Key)
	switch name {
	case "sqlite":
		path, err := e.ensure(name, hash, func() (string, error) {
			return e.sqliteTemplate(ctx, hash, tmpl.Build, time.Now())
		})
		if err != nil {
			return nil, err
		}
		return e.sqliteClone(ctx, path, opts)
	case "postgres":
		srv := e.server()
		if srv.err != nil {
			return nil, fmt.Errorf("clone: %w", srv.err)
		}
		tmplName, err := e.ensure(name, hash, func() (string, error) {
			return srv.template(ctx, hash, tmpl.Build, time.Now())
		})
		if err != nil {
			return nil, err
		}
		return srv.clone(ctx, tmplName, time.Now(), opts)
	}
	return nil, fmt.Errorf("clone: unknown dialect %q", name)
}

// ensure returns the template of hash on the named dialect, calling find
// to find or build it the first time only.
func (e *Env) ensure(name, hash string, find func() (string, error)) (string, error) {
	v, _ := e.tmpl.m.LoadOrStore(name+"/"+hash, new(ensured))
	en := v.(*ensured)
	en.once.Do(func() {
		en.ref, en.err = find()
		if en.err != nil {
			en.err = fmt.Errorf("template %s (%s): %w", hash, name, en.err)
		}
	})
	return en.ref, en.err
}

// DB returns the clone's database, which Drop and Keep close.
func (c *Clone) DB() dialect.DB { return c.db }

// Drop closes the clone's database and removes it.
func (c *Clone) Drop(ctx context.Context) error {
	_ = c.db.Close()
	if c.dialect == "postgres" {
		c.srv.waitDisconnected(ctx, c.name)
		if _, err := c.srv.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+dialect.Quote(c.name)+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop database %s: %w", c.name, err)
		}
		return nil
	}
	return os.RemoveAll(c.dir)
}

// Keep closes the clone's database and keeps it, for KeptMaxAge, and
// returns where: the PostgreSQL database's name, or the path of the
// SQLite file, in a directory of the system's temporary one, named after
// test.
func (c *Clone) Keep(_ context.Context, test string) (string, error) {
	_ = c.db.Close()
	if c.dialect == "postgres" {
		return c.name, nil
	}
	return c.keepFile(test)
}

// hint says how to open a kept database and remove it.
func (c *Clone) hint(where string) string {
	if c.dialect == "postgres" {
		return fmt.Sprintf("on %s; DROP DATABASE %s when done, or it goes after %d days",
			c.srv.addr(), dialect.Quote(where), KeptMaxAge/(24*time.Hour))
	}
	return fmt.Sprintf("remove it when done, or it goes after %d days", KeptMaxAge/(24*time.Hour))
}

// randomName returns n random characters of [a-z2-7].
func randomName(n int) string { return strings.ToLower(rand.Text()[:n]) }

// expired reports whether a thing made at made is older than age at now.
func expired(made, now time.Time, age time.Duration) bool { return now.Sub(made) > age }

// fileName turns a test's name into a part of a file name.
func fileName(test string) string {
	b := []byte(test)
	for i, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	return string(b[:min(len(b), 80)])
}

// defaultDirs returns where SQLite templates are kept (the user's cache
// directory, else the temporary one) and where the databases of failed
// tests are.
func defaultDirs() (templates, kept string) {
	kept = filepath.Join(os.TempDir(), "genrepo-failed")
	if cache, err := os.UserCacheDir(); err == nil {
		return filepath.Join(cache, "genrepo", "templates"), kept
	}
	return filepath.Join(os.TempDir(), "genrepo-templates"), kept
}

// DropTemplate removes the template of tmpl on the named dialect, built
// or half built, and forgets it, so that the next clone builds it again:
// for a test that builds templates of its own, to leave nothing behind.
func (e *Env) DropTemplate(ctx context.Context, name string, tmpl Template) error {
	hash := templateHash(name, tmpl.Key)
	e.tmpl.m.Delete(name + "/" + hash)
	switch name {
	case "sqlite":
		err := os.Remove(filepath.Join(e.cacheDir, hash+".db"))
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	case "postgres":
		srv := e.server()
		if srv.err != nil {
			return srv.err
		}
		return srv.dropTemplates(ctx, hash)
	}
	return fmt.Errorf("drop template: unknown dialect %q", name)
}

// DSN returns the address of the PostgreSQL server, or why there is none,
// for a benchmark that makes databases of its own.
func (e *Env) DSN() (string, error) {
	srv := e.server()
	return srv.dsn, srv.err
}
