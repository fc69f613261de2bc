package integration

import (
	"context"
	"crypto/rand"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/postgres"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/migrate"
)

// benchTables are the tables of testdata/bench.
var benchTables = regexp.MustCompile(`\b(customer|address|category|product|product_category|review|orders|order_line|payment|shipment)\b`)

// benchIndex is an index's name in testdata/bench.
var benchIndex = regexp.MustCompile(`(INDEX )(\w+)`)

// benchSet returns the migrations of testdata/bench, ten tables with
// indexes and foreign keys and four rows of reference data in four
// files, repeated copies times under other names: 10×copies tables in
// 4×copies migrations, in the directory "bench".
func benchSet(b *testing.B, copies int) fstest.MapFS {
	b.Helper()
	entries, err := os.ReadDir("testdata/bench")
	if err != nil {
		b.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for c := range copies {
		suffix := "_" + strconv.Itoa(c)
		for _, e := range entries {
			version, rest, ok := strings.Cut(e.Name(), "_")
			if !ok || !strings.HasSuffix(rest, ".up.sql") {
				continue
			}
			sql, err := os.ReadFile(filepath.Join("testdata/bench", e.Name()))
			if err != nil {
				b.Fatal(err)
			}
			sql = benchTables.ReplaceAll(sql, []byte("${1}"+suffix))
			sql = benchIndex.ReplaceAll(sql, []byte("${1}${2}"+suffix))
			n, _ := strconv.Atoi(version)
			fsys[fmt.Sprintf("bench/%04d_%s", c*10+n, rest)] = &fstest.MapFile{Data: sql}
		}
	}
	return fsys
}

// BenchmarkFreshDatabase measures what a test pays for a database holding
// the schema of testdata/bench (ten tables), and of five copies of it
// (fifty tables), from nothing to removed, two ways: a clone of its
// template (Migrated), and a fresh schema or file to which the
// migrations are applied (Open, then migrate.Runner.Up). Each way opens
// the database, reads from it once, closes it and removes it.
//
// Each iteration does both, one after the other, so that both see the
// same load on a shared machine, and the benchmark reports each way's
// time (clone-ms/op, migrate-ms/op) and their ratio (migrate/clone: how
// many times faster a clone is); ns/op is their sum. The template is
// built before the timing starts.
func BenchmarkFreshDatabase(b *testing.B) {
	for _, copies := range []int{1, 5} {
		fsys := benchSet(b, copies)
		tmpl, err := migrations(fsys, "bench")
		if err != nil {
			b.Fatal(err)
		}
		for _, name := range Dialects() {
			b.Run(fmt.Sprintf("tables=%d/%s", 10*copies, name), func(b *testing.B) {
				clone := benchClone(b, name, tmpl)
				migrated := benchMigrate(b, name, fsys)
				clone() // builds the template, if need be
				var cloning, migrating time.Duration
				for b.Loop() {
					start := time.Now()
					clone()
					mid := time.Now()
					migrated()
					cloning, migrating = cloning+mid.Sub(start), migrating+time.Since(mid)
				}
				n := float64(b.N)
				b.ReportMetric(float64(cloning.Milliseconds())/n, "clone-ms/op")
				b.ReportMetric(float64(migrating.Milliseconds())/n, "migrate-ms/op")
				b.ReportMetric(float64(migrating)/float64(cloning), "migrate/clone")
			})
		}
	}
}

// benchClone returns a function that makes a clone of tmpl, reads from
// it and drops it.
func benchClone(b *testing.B, name string, tmpl testdb.Template) func() {
	if name == "postgres" {
		needServer(b)
	}
	ctx := context.Background()
	return func() {
		c, err := env.NewClone(ctx, name, tmpl)
		if err != nil {
			b.Fatal(err)
		}
		benchRead(b, c.DB())
		if err := c.Drop(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// benchMigrate returns a function that makes a fresh database, applies
// the migrations of fsys to it, reads from it and removes it.
func benchMigrate(b *testing.B, name string, fsys fs.FS) func() {
	open, drop := benchFresh(b, name)
	ctx := context.Background()
	return func() {
		db := open()
		r, err := migrate.New(db, fsys, "bench", migrate.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Up(ctx, 0); err != nil {
			b.Fatal(err)
		}
		benchRead(b, db)
		drop(db)
	}
}

// benchRead reads the reference data, as a test's first query would.
func benchRead(b *testing.B, db dialect.DB) {
	b.Helper()
	if n := Scalar[int64](b, db, "SELECT count(*) FROM category_0"); n != 4 {
		b.Fatalf("%d categories, want 4", n)
	}
}

// benchFresh returns functions that open a new empty database of the
// named dialect (a file of its own, or a schema of its own, as Open
// gives), and close and remove it.
func benchFresh(b *testing.B, name string) (open func() dialect.DB, drop func(dialect.DB)) {
	ctx := context.Background()
	if name == "sqlite" {
		dir := b.TempDir()
		var path string
		open = func() dialect.DB {
			path = filepath.Join(dir, strings.ToLower(rand.Text())+".db")
			db, err := sqlite.Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			return db
		}
		return open, func(db dialect.DB) {
			_ = db.Close()
			for _, suffix := range []string{"", "-wal", "-shm"} {
				_ = os.Remove(path + suffix)
			}
		}
	}
	needServer(b)
	dsn, _ := env.DSN()
	admin, err := postgres.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = admin.Close() })
	var schema string
	open = func() dialect.DB {
		schema = "genrepo_bench_" + strings.ToLower(rand.Text()[:12])
		if _, err := admin.Exec(ctx, "CREATE SCHEMA "+dialect.Quote(schema)); err != nil {
			b.Fatal(err)
		}
		cfg, err := pgxpool.ParseConfig(dsn)
		if err != nil {
			b.Fatal(err)
		}
		cfg.ConnConfig.RuntimeParams["search_path"] = schema
		cfg.MaxConns = 4
		db, err := postgres.OpenConfig(ctx, cfg)
		if err != nil {
			b.Fatal(err)
		}
		return db
	}
	return open, func(db dialect.DB) {
		_ = db.Close()
		if _, err := admin.Exec(ctx, "DROP SCHEMA "+dialect.Quote(schema)+" CASCADE"); err != nil {
			b.Fatal(err)
		}
	}
}
