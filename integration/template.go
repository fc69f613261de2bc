package integration

import (
	"context"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/postgres"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/migrate"
	"github.com/genrepo/genrepo/model"
)

// How long templates and the databases of failed tests are kept; see the
// package documentation.
const (
	// TemplateMaxAge is how long a template is used after it was built;
	// an older one is built again at its first use by a test binary.
	TemplateMaxAge = testdb.TemplateMaxAge
	// KeptMaxAge is how long the database of a failed test is kept.
	KeptMaxAge = testdb.KeptMaxAge
)

// Migrated returns a database of the named dialect ("sqlite" or
// "postgres") that the migrations in the directory dir of fsys have been
// applied to, as migrate.Runner.Up applies them, version table included:
// a clone of a template built once per set of migrations, as the package
// documentation says. When the test ends it is removed, unless the test
// failed: then it is kept and the test's log says where.
//
// Migrated fails the test when the migrations cannot be loaded or one of
// them fails, naming the file; on PostgreSQL it skips or fails it as Open
// does when no server can be had. opts are passed to the dialect's Open
// for the test's pool, not for building the template.
func Migrated(t testing.TB, name string, fsys fs.FS, dir string, opts ...dialect.Option) dialect.DB {
	t.Helper()
	tmpl, err := migrations(fsys, dir)
	if err != nil {
		t.Fatalf("integration: migrated: %v", err)
	}
	return env.Clone(t, name, tmpl, opts...)
}

// EachMigrated runs body once per dialect, as Each does, each time with
// a database that the migrations in the directory dir of fsys have been
// applied to, as Migrated returns it. The same files apply on every
// dialect; migrations written for one dialect only are given to Migrated.
func EachMigrated(t *testing.T, fsys fs.FS, dir string, body func(t *testing.T, db dialect.DB), opts ...dialect.Option) {
	t.Helper()
	tmpl, err := migrations(fsys, dir)
	if err != nil {
		t.Fatalf("integration: migrated: %v", err)
	}
	each(t, tmpl, body, opts)
}

// Created returns a database of the named dialect holding the tables of
// m, created by m.CreateAll and empty: a clone of a template built once
// per schema, as Migrated returns one per set of migrations. The database
// is not bound to m; m.Bind binds it.
func Created(t testing.TB, name string, m *model.Model, opts ...dialect.Option) dialect.DB {
	t.Helper()
	tmpl, err := created(name, m)
	if err != nil {
		t.Fatalf("integration: created: %v", err)
	}
	return env.Clone(t, name, tmpl, opts...)
}

// EachCreated runs body once per dialect, as Each does, each time with a
// database holding the tables of m, as Created returns it.
func EachCreated(t *testing.T, m *model.Model, body func(t *testing.T, db dialect.DB), opts ...dialect.Option) {
	t.Helper()
	for _, name := range testdb.Dialects {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body(t, Created(t, name, m, opts...))
		})
	}
}

// each runs body on a clone of tmpl per dialect, in parallel subtests.
func each(t *testing.T, tmpl testdb.Template, body func(t *testing.T, db dialect.DB), opts []dialect.Option) {
	t.Helper()
	for _, name := range testdb.Dialects {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body(t, env.Clone(t, name, tmpl, opts...))
		})
	}
}

// migrationsKey begins the key of every template of migrations; changing
// what Migrated builds (the version table, say) changes it.
const migrationsKey = "migrate 1 " + migrate.DefaultTable + "\n"

// migrations returns the template of the migrations in the directory dir
// of fsys. Its key is each migration's version, name and checksum (the
// SHA-256 of its up file): what the database it builds holds, version
// table included, so a changed file or a new one gives a new template.
func migrations(fsys fs.FS, dir string) (testdb.Template, error) {
	if fsys == nil {
		return testdb.Template{}, fmt.Errorf("nil fs.FS")
	}
	ms, err := migrate.Load(fsys, dir)
	if err != nil {
		return testdb.Template{}, err
	}
	if len(ms) == 0 {
		return testdb.Template{}, fmt.Errorf("no migrations in %s", dir)
	}
	var key strings.Builder
	key.WriteString(migrationsKey)
	for _, m := range ms {
		key.WriteString(strconv.FormatInt(m.Version, 10) + " " + m.Name + " " + m.Checksum + "\n")
	}
	build := func(ctx context.Context, db dialect.DB) error {
		r, err := migrate.New(db, fsys, dir, migrate.Options{})
		if err != nil {
			return err
		}
		_, err = r.Up(ctx, 0)
		return err
	}
	return testdb.Template{Key: key.String(), Build: build}, nil
}

// created returns the template of m's tables on the named dialect, whose
// key is the DDL m.CreateAll runs there.
func created(name string, m *model.Model) (testdb.Template, error) {
	if m == nil {
		return testdb.Template{}, fmt.Errorf("nil model")
	}
	var d dialect.Dialect
	switch name {
	case "sqlite":
		d = sqlite.Dialect()
	case "postgres":
		d = postgres.Dialect()
	default:
		return testdb.Template{}, fmt.Errorf("unknown dialect %q", name)
	}
	stmts, err := m.CreateSQL(d)
	if err != nil {
		return testdb.Template{}, err
	}
	build := func(ctx context.Context, db dialect.DB) error { return m.CreateAll(ctx, db) }
	return testdb.Template{Key: "model 1\n" + strings.Join(stmts, ";\n"), Build: build}, nil
}
