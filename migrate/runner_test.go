package migrate_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/migrate"
)

// dir builds a directory of migration files from name, text pairs.
func dir(kv ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := 0; i+1 < len(kv); i += 2 {
		fsys[kv[i]] = &fstest.MapFile{Data: []byte(kv[i+1])}
	}
	return fsys
}

// with returns a copy of fsys with the files of kv added or replaced.
func with(fsys fstest.MapFS, kv ...string) fstest.MapFS {
	out := fstest.MapFS{}
	for k, v := range fsys {
		out[k] = v
	}
	for k, v := range dir(kv...) {
		out[k] = v
	}
	return out
}

// music is three migrations: a table, a column with an index and a row,
// and a second table without a down file.
var music = dir(
	"0001_artist.up.sql", "CREATE TABLE artist (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
	"0001_artist.down.sql", "DROP TABLE artist;",
	"0002_country.up.sql", `-- a column, its index and a first row
ALTER TABLE artist ADD COLUMN country TEXT;
CREATE INDEX artist_country ON artist (country);
INSERT INTO artist (id, name, country) VALUES (1, 'Queen', 'GB');`,
	"0002_country.down.sql", "DROP INDEX artist_country;\nALTER TABLE artist DROP COLUMN country;",
	"0003_album.up.sql", "CREATE TABLE album (id INTEGER PRIMARY KEY, artist_id INTEGER NOT NULL REFERENCES artist (id));",
)

func newRunner(t testing.TB, db dialect.DB, fsys fstest.MapFS) *migrate.Runner {
	t.Helper()
	r, err := migrate.New(db, fsys, ".", migrate.Options{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}

func versions(ms []migrate.Migration) []int64 {
	out := []int64{}
	for _, m := range ms {
		out = append(out, m.Version)
	}
	return out
}

// states renders a status as "1 applied, 2 pending".
func states(t testing.TB, r *migrate.Runner) string {
	t.Helper()
	st, err := r.Status(context.Background())
	if err != nil {
		t.Fatalf("Status: %v", err)
	}
	var parts []string
	for _, s := range st {
		parts = append(parts, fmt.Sprintf("%d %s", s.Version, s.State))
	}
	return strings.Join(parts, ", ")
}

func wantVersions(t testing.TB, what string, got []migrate.Migration, want ...int64) {
	t.Helper()
	if want == nil {
		want = []int64{}
	}
	if g := versions(got); !slices.Equal(g, want) {
		t.Errorf("%s: got versions %v, want %v", what, g, want)
	}
}

func wantStates(t testing.TB, r *migrate.Runner, want string) {
	t.Helper()
	if got := states(t, r); got != want {
		t.Errorf("status: got %q, want %q", got, want)
	}
}

// wantErr checks that err matches target (when set) and that its message
// starts with prefix and names the package once.
func wantErr(t testing.TB, err, target error, prefix string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one starting %q", prefix)
	}
	if target != nil && !errors.Is(err, target) {
		t.Errorf("error %q does not match %v", err, target)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, prefix) {
		t.Errorf("error %q does not start with %q", msg, prefix)
	}
	if n := strings.Count(msg, "migrate: "); n != 1 {
		t.Errorf("error %q names the package %d times", msg, n)
	}
}

func TestUpDownStatus(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, open func(...dialect.Option) dialect.DB) {
		ctx := context.Background()
		db := open()
		r := newRunner(t, db, music)
		wantStates(t, r, "1 pending, 2 pending, 3 pending")
		if tableExists(t, db, migrate.DefaultTable) {
			t.Errorf("Status created the version table")
		}

		before := time.Now().Add(-time.Minute)
		done, err := r.Up(ctx, 1)
		if err != nil {
			t.Fatalf("Up(1): %v", err)
		}
		wantVersions(t, "Up(1)", done, 1)
		wantStates(t, r, "1 applied, 2 pending, 3 pending")

		done, err = r.Up(ctx, 0)
		if err != nil {
			t.Fatalf("Up(0): %v", err)
		}
		wantVersions(t, "Up(0)", done, 2, 3)
		wantStates(t, r, "1 applied, 2 applied, 3 applied")
		if got := scalar[string](t, db, "SELECT country FROM artist WHERE id = 1"); got != "GB" {
			t.Errorf("country: got %q, want GB", got)
		}
		st, err := r.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range st {
			if s.AppliedAt.Before(before) || s.AppliedAt.After(time.Now().Add(time.Minute)) || s.AppliedAt.Location() != time.UTC {
				t.Errorf("%s applied at %v, want about now in UTC", s, s.AppliedAt)
			}
		}

		done, err = r.Up(ctx, 0)
		if err != nil || len(done) != 0 {
			t.Errorf("Up again: applied %v, err %v; want nothing", versions(done), err)
		}

		// 0003 has no down file: Down(2) refuses before reverting 0003's
		// neighbour, and Down(1) too.
		for _, n := range []int{1, 2} {
			done, err = r.Down(ctx, n)
			wantErr(t, err, migrate.ErrIrreversible, "migrate: down: 0003_album.up.sql: ")
			wantVersions(t, fmt.Sprintf("Down(%d)", n), done)
		}
		wantStates(t, r, "1 applied, 2 applied, 3 applied")

		// Without 0003's table in the way, 0002 and 0001 revert.
		if _, err := db.Exec(ctx, "DROP TABLE album"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, `DELETE FROM genrepo_migrations WHERE version = 3`); err != nil {
			t.Fatal(err)
		}
		done, err = r.Down(ctx, 1)
		if err != nil {
			t.Fatalf("Down(1): %v", err)
		}
		wantVersions(t, "Down(1)", done, 2)
		wantStates(t, r, "1 applied, 2 pending, 3 pending")
		if got := scalar[int64](t, db, "SELECT count(*) FROM artist"); got != 1 {
			t.Errorf("artist rows after Down: got %d, want 1", got)
		}
		done, err = r.Down(ctx, 5)
		if err != nil {
			t.Fatalf("Down(5): %v", err)
		}
		wantVersions(t, "Down(5)", done, 1)
		wantStates(t, r, "1 pending, 2 pending, 3 pending")
		if tableExists(t, db, "artist") {
			t.Errorf("artist survived Down")
		}
		done, err = r.Down(ctx, 1)
		if err != nil || len(done) != 0 {
			t.Errorf("Down with nothing applied: reverted %v, err %v; want nothing", versions(done), err)
		}
		_, err = r.Down(ctx, 0)
		wantErr(t, err, nil, "migrate: down: 0 migrations: ")
		_, err = r.Up(ctx, -1)
		wantErr(t, err, nil, "migrate: up: version -1: ")
	})
}

// A migration whose second statement fails leaves no trace of its first,
// nor a row in the version table; the error names the file, and the
// migrations before it stay applied.
func TestFailedMigrationLeavesNoTrace(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, open func(...dialect.Option) dialect.DB) {
		ctx := context.Background()
		db := open()
		fsys := with(music,
			"0003_album.up.sql", "CREATE TABLE album (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table (id) VALUES (1);",
			"0003_album.down.sql", "DROP TABLE album;",
		)
		r := newRunner(t, db, fsys)
		done, err := r.Up(ctx, 0)
		wantErr(t, err, nil, "migrate: up: 0003_album.up.sql: ")
		if !strings.Contains(err.Error(), "no_such_table") {
			t.Errorf("error %q does not quote the database's complaint", err)
		}
		wantVersions(t, "Up", done, 1, 2)
		wantStates(t, r, "1 applied, 2 applied, 3 pending")
		if tableExists(t, db, "album") {
			t.Errorf("the failed migration's first statement was kept")
		}

		// A failing down file leaves its migration applied, untouched.
		fixed := with(fsys,
			"0003_album.up.sql", "CREATE TABLE album (id INTEGER PRIMARY KEY);",
			"0002_country.down.sql", "DROP INDEX artist_country;\nDROP TABLE no_such_table;",
		)
		r = newRunner(t, db, fixed)
		if _, err := r.Up(ctx, 0); err != nil {
			t.Fatalf("Up: %v", err)
		}
		done, err = r.Down(ctx, 2)
		wantErr(t, err, nil, "migrate: down: 0002_country.down.sql: ")
		wantVersions(t, "Down(2)", done, 3)
		wantStates(t, r, "1 applied, 2 applied, 3 pending")
		// The index the failed down file dropped first is still there.
		if _, err := db.Exec(ctx, "DROP INDEX artist_country"); err != nil {
			t.Errorf("the failed down file's first statement was kept: %v", err)
		}
	})
}

// Up refuses to run when an applied migration's up file changed, and
// Status reports it; Down reverts it with its current down file.
func TestChanged(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, open func(...dialect.Option) dialect.DB) {
		ctx := context.Background()
		db := open()
		if _, err := newRunner(t, db, music).Up(ctx, 2); err != nil {
			t.Fatal(err)
		}
		changed := with(music, "0002_country.up.sql", "ALTER TABLE artist ADD COLUMN country TEXT;")
		r := newRunner(t, db, changed)
		done, err := r.Up(ctx, 0)
		wantErr(t, err, migrate.ErrChanged, "migrate: up: 0002_country.up.sql: changed since it was applied")
		wantVersions(t, "Up", done)
		wantStates(t, r, "1 applied, 2 changed, 3 pending")
		if tableExists(t, db, "album") {
			t.Errorf("Up applied 0003 despite the changed 0002")
		}

		done, err = r.Down(ctx, 1)
		if err != nil {
			t.Fatalf("Down: %v", err)
		}
		wantVersions(t, "Down", done, 2)
		if _, err := r.Up(ctx, 0); err != nil {
			t.Fatalf("Up after reverting the changed migration: %v", err)
		}
		wantStates(t, r, "1 applied, 2 applied, 3 applied")
	})
}

// A version the table holds and no file has is reported Missing; Up and
// Down refuse to run past it.
func TestMissing(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, open func(...dialect.Option) dialect.DB) {
		ctx := context.Background()
		db := open()
		if _, err := newRunner(t, db, music).Up(ctx, 2); err != nil {
			t.Fatal(err)
		}
		older := dir(
			"0001_artist.up.sql", string(music["0001_artist.up.sql"].Data),
			"0001_artist.down.sql", string(music["0001_artist.down.sql"].Data),
		)
		r := newRunner(t, db, older)
		wantStates(t, r, "1 applied, 2 missing")
		st, err := r.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if s := st[1]; s.Name != "country" || s.File != "" || s.AppliedAt.IsZero() || s.String() != "0002_country missing" {
			t.Errorf("missing status: got %+v (%s)", s, s)
		}
		_, err = r.Up(ctx, 0)
		wantErr(t, err, migrate.ErrMissing, "migrate: up: 0002_country: ")
		_, err = r.Down(ctx, 1)
		wantErr(t, err, migrate.ErrMissing, "migrate: down: 0002_country: ")
		wantStates(t, r, "1 applied, 2 missing")
	})
}

// A pending migration older than an applied one is refused.
func TestOutOfOrder(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, open func(...dialect.Option) dialect.DB) {
		ctx := context.Background()
		db := open()
		branch := dir(
			"0001_artist.up.sql", string(music["0001_artist.up.sql"].Data),
			"0003_album.up.sql", string(music["0003_album.up.sql"].Data),
		)
		if _, err := newRunner(t, db, branch).Up(ctx, 0); err != nil {
			t.Fatal(err)
		}
		r := newRunner(t, db, music)
		wantStates(t, r, "1 applied, 2 pending, 3 applied")
		done, err := r.Up(ctx, 0)
		wantErr(t, err, migrate.ErrOutOfOrder, "migrate: up: 0002_country.up.sql: ")
		wantVersions(t, "Up", done)
		// Up to a version below it is not refused: 0002 is not asked for.
		if _, err := r.Up(ctx, 1); err != nil {
			t.Errorf("Up(1): %v", err)
		}
	})
}

// Several runners on separate pools migrate one database at once: each
// migration is applied exactly once, and every runner returns nil.
func TestConcurrentUp(t *testing.T) {
	t.Parallel()
	fsys := dir(
		"0001_counter.up.sql", "CREATE TABLE counter (n INTEGER NOT NULL);",
		"0002_first.up.sql", "INSERT INTO counter (n) VALUES (2);",
		"0003_second.up.sql", "INSERT INTO counter (n) VALUES (3);",
		"0004_third.up.sql", "INSERT INTO counter (n) VALUES (4);\nCREATE TABLE done (n INTEGER);",
	)
	each(t, func(t *testing.T, open func(...dialect.Option) dialect.DB) {
		const runners = 4
		for round := range 3 {
			dbs := make([]dialect.DB, runners)
			for i := range dbs {
				dbs[i] = open()
			}
			if round > 0 {
				for _, table := range []string{"counter", "done", migrate.DefaultTable} {
					if _, err := dbs[0].Exec(context.Background(), "DROP TABLE "+table); err != nil {
						t.Fatal(err)
					}
				}
			}
			var (
				wg      sync.WaitGroup
				mu      sync.Mutex
				applied []int64
			)
			start := make(chan struct{})
			for i := range runners {
				r := newRunner(t, dbs[i], fsys)
				wg.Go(func() {
					<-start
					done, err := r.Up(context.Background(), 0)
					if err != nil {
						t.Errorf("runner %d: %v", i, err)
					}
					mu.Lock()
					applied = append(applied, versions(done)...)
					mu.Unlock()
				})
			}
			close(start)
			wg.Wait()
			slices.Sort(applied)
			if want := []int64{1, 2, 3, 4}; !slices.Equal(applied, want) {
				t.Errorf("round %d: the runners applied %v between them, want %v", round, applied, want)
			}
			if got := scalar[string](t, dbs[0], "SELECT "+concatCounter(dbs[0])+" FROM counter"); got != "2,3,4" {
				t.Errorf("round %d: counter holds %q, want 2,3,4", round, got)
			}
		}
	})
}

// concatCounter aggregates counter's rows in order, as each dialect
// writes it.
func concatCounter(db dialect.DB) string {
	if db.Dialect().Name() == "postgres" {
		return "string_agg(n::text, ',' ORDER BY n)"
	}
	return "group_concat(n, ',' ORDER BY n)"
}

// A file of several statements runs whole: semicolons inside strings,
// identifiers and comments do not end a statement, and neither do those
// of a PostgreSQL dollar-quoted function body or a SQLite trigger body.
func TestMultiStatementFiles(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, open func(...dialect.Option) dialect.DB) {
		ctx := context.Background()
		db := open()
		body := `-- notes; the first statement follows
CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL, "odd;name" TEXT);
/* a block comment; with a semicolon
   over two lines */
INSERT INTO note (id, body) VALUES (1, 'one; two');
INSERT INTO note (id, body, "odd;name") VALUES (2, 'it''s -- not a comment; really', 'x;y'); -- trailing; comment
INSERT INTO note (id, body) VALUES (3, '/* not a comment either; */')
`
		var extra string
		if db.Dialect().Name() == "postgres" {
			extra = `CREATE FUNCTION note_count() RETURNS bigint LANGUAGE plpgsql AS $fn$
BEGIN
	PERFORM 1; -- a statement of the body
	RETURN (SELECT count(*) FROM note);
END;
$fn$;
CREATE TABLE note_copy AS SELECT note_count() AS n;
`
		} else {
			extra = `CREATE TABLE note_log (id INTEGER);
CREATE TRIGGER note_logged AFTER INSERT ON note BEGIN
	INSERT INTO note_log (id) VALUES (new.id);
	INSERT INTO note_log (id) VALUES (-new.id);
END;
INSERT INTO note (id, body) VALUES (4, 'four');
CREATE TABLE note_copy AS SELECT count(*) AS n FROM note_log;
`
		}
		fsys := dir(
			"0001_notes.up.sql", body,
			"0001_notes.down.sql", "DROP TABLE note; -- gone",
			"0002_extra.up.sql", extra,
		)
		r := newRunner(t, db, fsys)
		if _, err := r.Up(ctx, 0); err != nil {
			t.Fatalf("Up: %v", err)
		}
		for id, want := range map[int]string{1: "one; two", 2: "it's -- not a comment; really", 3: "/* not a comment either; */"} {
			if got := scalar[string](t, db, "SELECT body FROM note WHERE id = "+fmt.Sprint(id)); got != want {
				t.Errorf("note %d: got %q, want %q", id, got, want)
			}
		}
		if got := scalar[string](t, db, `SELECT "odd;name" FROM note WHERE id = 2`); got != "x;y" {
			t.Errorf(`"odd;name": got %q, want x;y`, got)
		}
		want := int64(3) // PostgreSQL: the notes the function counted
		if db.Dialect().Name() == "sqlite" {
			want = 2 // the two rows the trigger wrote for note 4
		}
		if got := scalar[int64](t, db, "SELECT n FROM note_copy"); got != want {
			t.Errorf("note_copy: got %d, want %d", got, want)
		}
	})
}

// Options.Table names the version table; runners of different tables
// know nothing of each other's migrations.
func TestOptionsTable(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, open func(...dialect.Option) dialect.DB) {
		ctx := context.Background()
		db := open()
		r, err := migrate.New(db, music, ".", migrate.Options{Table: "schema_versions"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Up(ctx, 1); err != nil {
			t.Fatal(err)
		}
		if !tableExists(t, db, "schema_versions") || tableExists(t, db, migrate.DefaultTable) {
			t.Errorf("want schema_versions, and no %s", migrate.DefaultTable)
		}
		wantStates(t, r, "1 applied, 2 pending, 3 pending")
		wantStates(t, newRunner(t, db, music), "1 pending, 2 pending, 3 pending")
	})
}

func TestNewRefuses(t *testing.T) {
	t.Parallel()
	db := openDSN(t, freshDSN(t, "sqlite"))
	_, err := migrate.New(db, music, ".", migrate.Options{Table: `bad"name`})
	wantErr(t, err, nil, "migrate: version table: ")
	_, err = migrate.New(db, dir("1_a.down.sql", "SELECT 1;"), ".", migrate.Options{})
	wantErr(t, err, nil, "migrate: load: 1_a.down.sql: ")
	_, err = migrate.New(db, music, "nowhere", migrate.Options{})
	wantErr(t, err, nil, "migrate: load: ")
}

// A cancelled context stops Up before it applies anything, and a later
// Up still runs: no lock was left behind.
func TestUpCancelled(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, open func(...dialect.Option) dialect.DB) {
		db := open()
		r := newRunner(t, db, music)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		done, err := r.Up(ctx, 0)
		if !errors.Is(err, context.Canceled) || len(done) != 0 {
			t.Errorf("Up on a cancelled context: applied %v, err %v", versions(done), err)
		}
		ctx, cancel = context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if done, err := r.Up(ctx, 0); err != nil || len(done) != 3 {
			t.Errorf("Up afterwards: applied %v, err %v", versions(done), err)
		}
	})
}

// A runner that has read the version table and not yet applied anything
// keeps a second runner out on PostgreSQL (the advisory lock), and on
// SQLite, which has no lock across the run, finds afterwards that the
// second applied everything and skips it (each step reads the version
// table again under the write lock).
func TestStaleRunner(t *testing.T) {
	t.Parallel()
	fsys := dir(
		"0001_counter.up.sql", "CREATE TABLE counter (n INTEGER NOT NULL);",
		"0002_first.up.sql", "INSERT INTO counter (n) VALUES (2);",
	)
	each(t, func(t *testing.T, open func(...dialect.Option) dialect.DB) {
		ctx := context.Background()
		read, release := make(chan struct{}), make(chan struct{})
		var once sync.Once
		hook := dialect.WithHook(func(_ context.Context, e dialect.Event) {
			if e.Op == dialect.OpQuery && strings.HasPrefix(e.SQL, "SELECT version, name") {
				once.Do(func() {
					close(read)
					<-release
				})
			}
		})
		first := newRunner(t, open(hook), fsys)
		second := newRunner(t, open(), fsys)
		var releaseOnce sync.Once
		free := func() { releaseOnce.Do(func() { close(release) }) }
		t.Cleanup(free) // before the pools close, should the test fail early
		type result struct {
			done []migrate.Migration
			err  error
		}
		firstDone, secondDone := make(chan result, 1), make(chan result, 1)
		go func() {
			done, err := first.Up(ctx, 0)
			firstDone <- result{done, err}
		}()
		<-read
		go func() {
			done, err := second.Up(ctx, 0)
			secondDone <- result{done, err}
		}()
		var got1, got2 result
		if open().Dialect().Name() == "postgres" {
			select {
			case got2 = <-secondDone:
				t.Fatalf("the second runner ran while the first held the lock: applied %v, err %v", versions(got2.done), got2.err)
			case <-time.After(300 * time.Millisecond):
			}
			free()
			got1, got2 = <-firstDone, <-secondDone
			wantVersions(t, "first", got1.done, 1, 2)
			wantVersions(t, "second", got2.done)
		} else {
			got2 = <-secondDone
			free()
			got1 = <-firstDone
			wantVersions(t, "first", got1.done)
			wantVersions(t, "second", got2.done, 1, 2)
		}
		if got1.err != nil || got2.err != nil {
			t.Errorf("errors: first %v, second %v", got1.err, got2.err)
		}
		if n := scalar[int64](t, open(), "SELECT count(*) FROM counter"); n != 1 {
			t.Errorf("counter has %d rows, want 1", n)
		}
	})
}
