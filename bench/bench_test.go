package bench

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
)

// The environment the benchmarks read.
const (
	envDSN     = "GENREPO_POSTGRES_DSN"     // the PostgreSQL server
	envRequire = "GENREPO_REQUIRE_POSTGRES" // 1: a missing server fails instead of skipping
	defaultDSN = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
)

var (
	pg      *Postgres // nil when no server answers
	pgErr   error
	sqlite3 *SQLite // files in the system's temporary directory, on disk
	tmpfs   *SQLite // files on a RAM file system, or nil
)

// shmDir is a RAM file system on Linux, where fsync costs nothing.
const shmDir = "/dev/shm"

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "genrepo-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	sqlite3 = NewSQLite(dir)
	if shm, err := os.MkdirTemp(shmDir, "genrepo-bench-"); err == nil {
		defer os.RemoveAll(shm)
		tmpfs = NewSQLite(shm)
	}
	dsn := os.Getenv(envDSN)
	if dsn == "" {
		dsn = defaultDSN
	}
	if pg, pgErr = OpenPostgres(context.Background(), dsn); pgErr == nil {
		defer pg.Close()
	}
	return m.Run()
}

// pgTargetOf returns the PostgreSQL target, or skips (fails, when
// GENREPO_REQUIRE_POSTGRES=1) without a server.
func pgTargetOf(tb testing.TB, asyncCommit bool) Target {
	tb.Helper()
	if pg == nil {
		if os.Getenv(envRequire) == "1" {
			tb.Fatalf("PostgreSQL required but unavailable: %v", pgErr)
		}
		tb.Skipf("skipping PostgreSQL: %v (set %s)", pgErr, envDSN)
	}
	return pg.Target(asyncCommit)
}

// op is one benchmarked operation: the rows it starts from, a check of its
// result before timing (which also warms caches), and the timed loop.
type op struct {
	name  string
	seed  Seed
	check func(ctx context.Context, p Peer) error
	loop  func(b *testing.B, ctx context.Context, p Peer)
}

var (
	opInsert = op{"Insert", SeedEmpty, checkInsert, func(b *testing.B, ctx context.Context, p Peer) {
		it := NewItem(0)
		for b.Loop() {
			it.ID = 0
			if err := p.Insert(ctx, it); err != nil {
				b.Fatal(err)
			}
		}
		if it.ID == 0 {
			b.Fatal("insert filled no key")
		}
	}}
	opInsertMulti = op{"InsertMulti", SeedEmpty, checkInsertMulti, func(b *testing.B, ctx context.Context, p Peer) {
		items := make([]*Item, MultiRows)
		for i := range items {
			items[i] = NewItem(i)
		}
		for b.Loop() {
			for _, it := range items {
				it.ID = 0
			}
			if err := p.InsertMulti(ctx, items); err != nil {
				b.Fatal(err)
			}
		}
		if items[MultiRows-1].ID == 0 {
			b.Fatal("insert filled no keys")
		}
	}}
	opUpdate = op{"Update", SeedItemRows, checkUpdate, func(b *testing.B, ctx context.Context, p Peer) {
		items := make([]*Item, SeedItems)
		for i := range items {
			items[i] = NewItem(i)
			items[i].ID = int64(i + 1)
		}
		i := 0
		for b.Loop() {
			it := items[i%SeedItems]
			it.Counter++
			if err := p.Update(ctx, it); err != nil {
				b.Fatal(err)
			}
			i++
		}
	}}
	opRead = op{"Read", SeedItemRows, checkRead, func(b *testing.B, ctx context.Context, p Peer) {
		i := 0
		for b.Loop() {
			id := int64(i%SeedItems + 1)
			it, err := p.Read(ctx, id)
			if err != nil {
				b.Fatal(err)
			}
			if it.ID != id {
				b.Fatalf("read %d, got row %d", id, it.ID)
			}
			i++
		}
	}}
	opReadSlice = op{"ReadSlice", SeedItemRows, checkReadSlice, func(b *testing.B, ctx context.Context, p Peer) {
		for b.Loop() {
			items, err := p.ReadSlice(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if len(items) != SliceRows {
				b.Fatalf("%d rows, want %d", len(items), SliceRows)
			}
		}
	}}
	opQuery = op{"Query", SeedItemRows, checkQuery, func(b *testing.B, ctx context.Context, p Peer) {
		for b.Loop() {
			items, err := p.Query(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if len(items) != QueryLimit {
				b.Fatalf("%d rows, want %d", len(items), QueryLimit)
			}
		}
	}}
	opEager = op{"Eager", SeedLibrary, checkEager, func(b *testing.B, ctx context.Context, p Peer) {
		for b.Loop() {
			authors, err := p.Eager(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if len(authors) != SeedAuthors || len(authors[0].Books) != BooksPerAuthor {
				b.Fatalf("%d authors, want %d with %d books each", len(authors), SeedAuthors, BooksPerAuthor)
			}
		}
	}}
	// opUnit's Units walk the authors ten at a time, each adding ten books
	// and deleting the first book the one before added (the first Unit, a
	// book of the seed), so every Unit finds its work and the table of
	// books grows by nine rows a Unit, as the item table grows under
	// Insert.
	opUnit = op{"Unit", SeedLibrary, checkUnit, func(b *testing.B, ctx context.Context, p Peer) {
		w := NewUnitWork(0, 2) // book 2 is the seed's; checkUnit leaves it
		n := 0
		for b.Loop() {
			if err := p.Unit(ctx, w); err != nil {
				b.Fatal(err)
			}
			n++
			w.Reset(n, w.Books[0].ID)
		}
	}}

	allOps   = []op{opInsert, opInsertMulti, opUpdate, opRead, opReadSlice, opQuery, opEager, opUnit}
	writeOps = []op{opInsert, opInsertMulti, opUpdate, opUnit}
)

func checkInsert(ctx context.Context, p Peer) error {
	it := NewItem(0)
	if err := p.Insert(ctx, it); err != nil {
		return err
	}
	if it.ID != 1 {
		return fmt.Errorf("first insert got key %d, want 1", it.ID)
	}
	got, err := p.Read(ctx, 1)
	if err != nil {
		return err
	}
	return CheckItem(got, 1)
}

func checkInsertMulti(ctx context.Context, p Peer) error {
	items := make([]*Item, MultiRows)
	for i := range items {
		items[i] = NewItem(i)
	}
	if err := p.InsertMulti(ctx, items); err != nil {
		return err
	}
	for i, it := range items {
		if it.ID != int64(i+1) {
			return fmt.Errorf("row %d got key %d, want %d", i, it.ID, i+1)
		}
	}
	got, err := p.Read(ctx, MultiRows)
	if err != nil {
		return err
	}
	return CheckItem(got, MultiRows)
}

func checkUpdate(ctx context.Context, p Peer) error {
	it := NewItem(4)
	it.ID, it.Name, it.Active = 5, "renamed", !it.Active
	if err := p.Update(ctx, it); err != nil {
		return err
	}
	got, err := p.Read(ctx, 5)
	if err != nil {
		return err
	}
	if *got != *it {
		return fmt.Errorf("after update read %+v, want %+v", *got, *it)
	}
	return nil
}

func checkRead(ctx context.Context, p Peer) error {
	for _, id := range []int64{1, 2, SeedItems} {
		it, err := p.Read(ctx, id)
		if err != nil {
			return err
		}
		if err := CheckItem(it, id); err != nil {
			return err
		}
	}
	return nil
}

func checkReadSlice(ctx context.Context, p Peer) error {
	items, err := p.ReadSlice(ctx)
	if err != nil {
		return err
	}
	if len(items) != SliceRows {
		return fmt.Errorf("%d rows, want %d", len(items), SliceRows)
	}
	for _, it := range items {
		if err := CheckItem(it, it.ID); err != nil {
			return err
		}
	}
	return nil
}

func checkQuery(ctx context.Context, p Peer) error {
	items, err := p.Query(ctx)
	if err != nil {
		return err
	}
	return CheckQuery(items)
}

func checkEager(ctx context.Context, p Peer) error {
	authors, err := p.Eager(ctx)
	if err != nil {
		return err
	}
	return CheckAuthors(authors)
}

// checkUnit runs two Units and one that must fail, then reads every author
// with its books and compares them with what the Units should have left.
func checkUnit(ctx context.Context, p Peer) error {
	w1 := NewUnitWork(0, 1) // authors 1…10; book 1, the seed's, of author 1
	w1.Name = "checked 1"   // not the loop's names, so its first Unit changes them
	if err := p.Unit(ctx, w1); err != nil {
		return fmt.Errorf("first unit: %w", err)
	}
	w2 := NewUnitWork(1, w1.Books[0].ID) // authors 11…20; the first unit's first book
	w2.Name = "checked 2"
	if err := p.Unit(ctx, w2); err != nil {
		return fmt.Errorf("second unit: %w", err)
	}
	for i, w := range []*UnitWork{w1, w2} {
		for j, bk := range w.Books {
			if want := int64(SeedAuthors*BooksPerAuthor + i*UnitInserts + j + 1); bk.ID != want {
				return fmt.Errorf("unit %d: book %d got key %d, want %d", i+1, j, bk.ID, want)
			}
		}
	}
	// The book to delete is gone: the unit fails and leaves no trace.
	w3 := NewUnitWork(2, w1.Books[0].ID)
	w3.Name = "never"
	if err := p.Unit(ctx, w3); err == nil {
		return fmt.Errorf("a unit deleting a missing book succeeded")
	}

	// What the units should have left: the seed's authors, renamed where
	// the units renamed them, and its books, less the deleted ones, plus
	// the units' books.
	names := map[int64]string{}
	for i := range SeedAuthors {
		names[int64(i+1)] = "author-" + strconv.Itoa(i)
	}
	books := map[int64]Book{}
	_, seed := library()
	for i, r := range seed {
		books[int64(i+1)] = Book{ID: int64(i + 1), AuthorID: r[0].(int64), Title: r[1].(string), Pages: r[2].(int64)}
	}
	for _, w := range []*UnitWork{w1, w2} {
		for _, k := range w.Keys {
			if k%2 == 0 {
				names[k] = w.Name
			}
		}
		for _, bk := range w.Books {
			books[bk.ID] = Book{ID: bk.ID, AuthorID: bk.AuthorID, Title: bk.Title, Pages: bk.Pages}
		}
		delete(books, w.Delete)
	}

	authors, err := p.Eager(ctx)
	if err != nil {
		return err
	}
	if len(authors) != SeedAuthors {
		return fmt.Errorf("%d authors, want %d", len(authors), SeedAuthors)
	}
	seen := 0
	for _, a := range authors {
		if a.Name != names[a.ID] {
			return fmt.Errorf("author %d is named %q, want %q", a.ID, a.Name, names[a.ID])
		}
		for _, bk := range a.Books {
			want, ok := books[bk.ID]
			if !ok {
				return fmt.Errorf("author %d has book %+v, which should not exist", a.ID, *bk)
			}
			if got := (Book{ID: bk.ID, AuthorID: bk.AuthorID, Title: bk.Title, Pages: bk.Pages}); got != want {
				return fmt.Errorf("book %d is %+v, want %+v", bk.ID, got, want)
			}
			seen++
		}
	}
	if seen != len(books) {
		return fmt.Errorf("%d books, want %d", seen, len(books))
	}
	return nil
}

// setUp resets the peer's tables for o and opens the peer.
func setUp(tb testing.TB, ctx context.Context, t Target, def PeerDef, o op) Peer {
	tb.Helper()
	loc, err := t.Reset(ctx, def.Name, o.seed)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := def.Open(ctx, loc)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = p.Close() })
	return p
}

// suite runs each operation on each peer of t, as sub-benchmarks named
// op=…/peer=… (which benchstat and cmd/report read).
func suite(b *testing.B, t Target, ops []op) {
	ctx := context.Background()
	for _, o := range ops {
		b.Run("op="+o.name, func(b *testing.B) {
			for _, def := range t.Peers() {
				b.Run("peer="+def.Name, func(b *testing.B) {
					p := setUp(b, ctx, t, def, o)
					if err := o.check(ctx, p); err != nil {
						b.Fatalf("%s on %s: %v", o.name, def.Name, err)
					}
					b.ReportAllocs()
					o.loop(b, ctx, p)
				})
			}
		})
	}
}

func BenchmarkPostgres(b *testing.B) { suite(b, pgTargetOf(b, false), allOps) }

// BenchmarkPostgresAsyncCommit runs the writes with synchronous_commit=off:
// a commit no longer waits for the WAL flush, which otherwise hides a
// library's own cost.
func BenchmarkPostgresAsyncCommit(b *testing.B) { suite(b, pgTargetOf(b, true), writeOps) }

func BenchmarkSQLite(b *testing.B) { suite(b, sqlite3, allOps) }

// BenchmarkSQLiteTmpfs runs the writes on a database in a RAM file
// system: each commit's fsync of the write-ahead log, which on disk costs
// as much as the rest of a write and varies with the disk's other work,
// costs nothing there, so the libraries' own costs show, as with
// PostgreSQL's synchronous_commit=off.
func BenchmarkSQLiteTmpfs(b *testing.B) {
	if tmpfs == nil {
		b.Skipf("no %s to hold the database", shmDir)
	}
	suite(b, tmpfs, writeOps)
}

// TestPeers checks every operation of every peer once, on both databases.
func TestPeers(t *testing.T) {
	for _, tt := range []struct {
		name   string
		target func(testing.TB) Target
	}{
		{"postgres", func(tb testing.TB) Target { return pgTargetOf(tb, false) }},
		{"sqlite", func(testing.TB) Target { return sqlite3 }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			target := tt.target(t)
			ctx := context.Background()
			for _, o := range allOps {
				for _, def := range target.Peers() {
					t.Run(o.name+"/"+def.Name, func(t *testing.T) {
						p := setUp(t, ctx, target, def, o)
						if err := o.check(ctx, p); err != nil {
							t.Error(err)
						}
					})
				}
			}
		})
	}
}
