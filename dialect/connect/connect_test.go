package connect_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/connect"
	"github.com/genrepo/genrepo/internal/testdb"
)

func mustOpen(t testing.TB, url string) dialect.DB {
	t.Helper()
	db, err := connect.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("Open(%q): %v", url, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func mustExec(t testing.TB, ex dialect.Executor, sql string) {
	t.Helper()
	if _, err := ex.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func count(t testing.TB, ex dialect.Executor, table string) int64 {
	t.Helper()
	rows, err := ex.Query(context.Background(), "SELECT count(*) FROM "+table)
	if err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	defer rows.Close()
	var n int64
	if !rows.Next() {
		t.Fatalf("count %s: no row: %v", table, rows.Err())
	}
	if err := rows.Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, url string
		want      []string // substrings of the error
	}{
		{"unknown scheme", "mysql://root@localhost/music", []string{`"mysql"`, "unknown scheme"}},
		{"unknown scheme redacts password", "mysql://root:secret@localhost/music", []string{`"mysql"`, "root:xxxxx@localhost"}},
		{"unknown scheme redacts password parameter", "mysql://localhost/music?user=root&password=secret&tls=true",
			[]string{`"mysql"`, "password=xxxxx&tls=true"}},
		{"no scheme", "music.db", []string{"no scheme", "music.db"}},
		{"key=value DSN", "host=localhost user=alice password=secret dbname=music",
			[]string{"no scheme", "password=xxxxx dbname=music"}},
		{"key=value DSN quoted password", `host=localhost password='s3cr3t \' w1th sp4ce' dbname=music`,
			[]string{"no scheme", "password=xxxxx dbname=music"}},
		{"key=value DSN sslpassword", "host=localhost sslpassword=secret",
			[]string{"no scheme", "sslpassword=xxxxx"}},
		{"empty", "", []string{"no scheme"}},
		{"empty scheme", ":memory:", []string{"no scheme"}},
		{"sqlite without path", "sqlite:", []string{"names no database file"}},
		{"sqlite slashes without path", "sqlite://", []string{"names no database file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db, err := connect.Open(context.Background(), tt.url)
			if err == nil {
				db.Close()
				t.Fatalf("Open(%q) succeeded", tt.url)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "connect: ") {
				t.Errorf("error %q lacks the package prefix", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			if strings.Contains(msg, "secret") || strings.Contains(msg, "s3cr3t") || strings.Contains(msg, "w1th") || strings.Contains(msg, "sp4ce") {
				t.Errorf("error %q reveals the password", msg)
			}
		})
	}
}

// A password in a PostgreSQL URL never reaches an error message, whether
// the URL cannot be parsed or the server cannot be reached.
func TestOpenPostgresRedactsPassword(t *testing.T) {
	t.Parallel()
	for _, url := range []string{
		"postgres://alice:secret@127.0.0.1:1/music?connect_timeout=5",
		"postgresql://alice:secret@127.0.0.1:1/music?connect_timeout=5&sslmode=disable",
		"postgres://alice:secret@127.0.0.1:notaport/music",
		"postgres://alice:secret@127.0.0.1:1/music?pool_max_conns=many",
	} {
		db, err := connect.Open(context.Background(), url)
		if err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded", url)
			continue
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("Open(%q) error reveals the password: %v", url, err)
		}
	}
}

func TestOpenSQLiteAbsolutePath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tt := range []struct{ url, file string }{
		{"sqlite://" + filepath.Join(dir, "three.db"), "three.db"}, // sqlite:///abs
		{"sqlite:" + filepath.Join(dir, "one.db"), "one.db"},
		{"sqlite3:" + filepath.Join(dir, "alias.db"), "alias.db"},
		{"SQLite:" + filepath.Join(dir, "upper.db"), "upper.db"},
	} {
		db := mustOpen(t, tt.url)
		if got := db.Dialect().Name(); got != "sqlite" {
			t.Errorf("Open(%q) gave dialect %q, want sqlite", tt.url, got)
		}
		mustExec(t, db, "CREATE TABLE t (n INTEGER)")
		if _, err := os.Stat(filepath.Join(dir, tt.file)); err != nil {
			t.Errorf("Open(%q) did not create %s: %v", tt.url, tt.file, err)
		}
	}
}

// sqlite:relative.db is relative to the working directory. Changing it
// affects the whole process, so this test does not run in parallel.
func TestOpenSQLiteRelativePath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.Mkdir("sub", 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ url, file string }{
		{"sqlite:rel.db", "rel.db"},
		{"sqlite:sub/nested.db", filepath.Join("sub", "nested.db")},
		{"sqlite:./dot.db", "dot.db"},
	} {
		db := mustOpen(t, tt.url)
		mustExec(t, db, "CREATE TABLE t (n INTEGER)")
		mustExec(t, db, "INSERT INTO t (n) VALUES (1)")
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dir, tt.file)); err != nil {
			t.Errorf("Open(%q) did not create %s in the working directory: %v", tt.url, tt.file, err)
		}
		// Reopening finds the same database.
		if n := count(t, mustOpen(t, tt.url), "t"); n != 1 {
			t.Errorf("reopened %q holds %d rows, want 1", tt.url, n)
		}
	}
}

// sqlite::memory: is one database shared by every connection of its pool,
// and private to that pool.
func TestOpenSQLiteMemory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpen(t, "sqlite::memory:")
	c1, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Release()
	c2, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Release()
	mustExec(t, c1, "CREATE TABLE shared (n INTEGER)")
	mustExec(t, c1, "INSERT INTO shared (n) VALUES (1), (2)")
	if n := count(t, c2, "shared"); n != 2 {
		t.Errorf("second connection counts %d rows, want 2", n)
	}
	if n := count(t, db, "shared"); n != 2 {
		t.Errorf("pool counts %d rows, want 2", n)
	}

	other := mustOpen(t, "sqlite::memory:")
	if _, err := other.Exec(ctx, "SELECT * FROM shared"); err == nil {
		t.Error("another sqlite::memory: database sees the first one's table")
	}
}

func TestOpenPostgres(t *testing.T) {
	t.Parallel()
	dsn := os.Getenv(testdb.EnvDSN)
	if dsn == "" {
		t.Skipf("%s is not set", testdb.EnvDSN)
	}
	urls := []string{dsn}
	if rest, ok := strings.CutPrefix(dsn, "postgres://"); ok {
		urls = append(urls, "postgresql://"+rest)
	}
	for _, url := range urls {
		db := mustOpen(t, url)
		if got := db.Dialect().Name(); got != "postgres" {
			t.Errorf("Open(%q) gave dialect %q, want postgres", url, got)
		}
		if err := db.Ping(context.Background()); err != nil {
			t.Errorf("Ping: %v", err)
		}
	}
}
