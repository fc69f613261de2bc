package bench

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Seed names the rows a benchmark starts from.
type Seed uint8

// The seeds.
const (
	SeedEmpty    Seed = iota // empty tables, for the inserts
	SeedItemRows             // SeedItems rows of item, keys 1…SeedItems
	SeedLibrary              // SeedAuthors authors with BooksPerAuthor books each
	SeedStream               // StreamRows rows of item, keys 1…StreamRows
)

// SQLiteDSN is the modernc.org/sqlite DSN of the raw, GORM and bun peers:
// the settings genrepo's SQLite dialect gives its connections (foreign
// keys, a busy timeout, write-ahead logging, BEGIN IMMEDIATE).
func SQLiteDSN(path string) string {
	return "file:" + path + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)" +
		"&_pragma=journal_mode(WAL)&_txlock=immediate"
}

// Target is one database the benchmarks run on. Each peer has tables of
// its own there, emptied and seeded anew before each benchmark.
type Target interface {
	// Peers lists the peers; the first is the yardstick.
	Peers() []PeerDef
	// Reset empties the peer's tables, fills them as seed says, and
	// returns where they are.
	Reset(ctx context.Context, peer string, seed Seed) (Location, error)
}

// Postgres is a PostgreSQL server the benchmarks use: one schema per peer,
// created on first use and dropped by Close.
type Postgres struct {
	dsn   string
	admin *pgxpool.Pool

	mu      sync.Mutex
	schemas map[string]bool
}

// OpenPostgres connects to the server at dsn (a postgres:// URL).
func OpenPostgres(ctx context.Context, dsn string) (*Postgres, error) {
	admin, err := pgxpool.New(ctx, dsn)
	if err == nil {
		err = admin.Ping(ctx)
	}
	if err != nil {
		if admin != nil {
			admin.Close()
		}
		return nil, err
	}
	return &Postgres{dsn: dsn, admin: admin, schemas: map[string]bool{}}, nil
}

// Close drops the schemas the benchmarks made.
func (pg *Postgres) Close() error {
	defer pg.admin.Close()
	pg.mu.Lock()
	defer pg.mu.Unlock()
	for s := range pg.schemas {
		if _, err := pg.admin.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+s+" CASCADE"); err != nil {
			return err
		}
	}
	return nil
}

// Target returns the server as a Target; with asyncCommit set, peers
// connect with synchronous_commit=off, so that a commit does not wait for
// its WAL flush and a library's own cost shows through.
func (pg *Postgres) Target(asyncCommit bool) Target {
	return &pgTarget{pg: pg, async: asyncCommit}
}

type pgTarget struct {
	pg    *Postgres
	async bool
}

func (t *pgTarget) Peers() []PeerDef { return PostgresPeers }

func schemaOf(peer string) string {
	return "genrepo_bench_" + strings.ReplaceAll(peer, "-", "_")
}

func (t *pgTarget) Reset(ctx context.Context, peer string, seed Seed) (Location, error) {
	schema := schemaOf(peer)
	if err := t.pg.create(ctx, schema); err != nil {
		return Location{}, err
	}
	if err := t.pg.seed(ctx, schema, seed); err != nil {
		return Location{}, fmt.Errorf("seed %s: %w", schema, err)
	}
	params := map[string]string{"search_path": schema}
	if t.async {
		params["synchronous_commit"] = "off"
	}
	dsn, err := withParams(t.pg.dsn, params)
	return Location{DSN: dsn}, err
}

// create makes the schema and its tables, once per run.
func (pg *Postgres) create(ctx context.Context, schema string) error {
	pg.mu.Lock()
	defer pg.mu.Unlock()
	if pg.schemas[schema] {
		return nil
	}
	err := pgx.BeginFunc(ctx, pg.admin, func(tx pgx.Tx) error {
		for _, s := range append([]string{
			"DROP SCHEMA IF EXISTS " + schema + " CASCADE",
			"CREATE SCHEMA " + schema,
			"SET LOCAL search_path TO " + schema,
		}, postgresDDL...) {
			if _, err := tx.Exec(ctx, s); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	pg.schemas[schema] = true
	return nil
}

func (pg *Postgres) seed(ctx context.Context, schema string, seed Seed) error {
	if _, err := pg.admin.Exec(ctx, fmt.Sprintf("TRUNCATE %[1]s.item, %[1]s.book, %[1]s.author RESTART IDENTITY CASCADE", schema)); err != nil {
		return err
	}
	switch seed {
	case SeedItemRows, SeedStream:
		rows := seedItems(seed)
		_, err := pg.admin.CopyFrom(ctx, pgx.Identifier{schema, "item"},
			[]string{"name", "title", "fax", "web", "age", "active", "counter"}, pgx.CopyFromRows(rows))
		if err != nil {
			return err
		}
	case SeedLibrary:
		authors, books := library()
		if _, err := pg.admin.CopyFrom(ctx, pgx.Identifier{schema, "author"}, []string{"name"}, pgx.CopyFromRows(authors)); err != nil {
			return err
		}
		if _, err := pg.admin.CopyFrom(ctx, pgx.Identifier{schema, "book"}, []string{"author_id", "title", "pages"}, pgx.CopyFromRows(books)); err != nil {
			return err
		}
	}
	_, err := pg.admin.Exec(ctx, fmt.Sprintf("ANALYZE %[1]s.item, %[1]s.author, %[1]s.book", schema))
	return err
}

// seedItems returns the rows of item of seed (SeedItemRows or
// SeedStream): NewItem(0), NewItem(1), …, whose keys are given out in
// order from 1.
func seedItems(seed Seed) [][]any {
	n := SeedItems
	if seed == SeedStream {
		n = StreamRows
	}
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = itemArgs(nil, NewItem(i))
	}
	return rows
}

// library returns the seed's authors (name) and books (author_id, title,
// pages); keys are given out in order from 1. Books are stored author
// after author round-robin, so an author's books are not adjacent.
func library() (authors, books [][]any) {
	for i := range SeedAuthors {
		authors = append(authors, []any{"author-" + strconv.Itoa(i)})
	}
	for j := range BooksPerAuthor {
		for i := range SeedAuthors {
			books = append(books, []any{int64(i + 1), "book " + strconv.Itoa(j) + " of author " + strconv.Itoa(i), int64(100 + j)})
		}
	}
	return authors, books
}

// withParams adds query parameters to a postgres:// URL.
func withParams(dsn string, params map[string]string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("bench: want a postgres:// URL, got %q", dsn)
	}
	q := u.Query()
	for k, v := range params {
		q.Set(k, v)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// SQLite is a directory of SQLite databases, one file per peer.
type SQLite struct {
	dir string

	mu   sync.Mutex
	made map[string]bool
}

// NewSQLite keeps the peers' databases in dir.
func NewSQLite(dir string) *SQLite { return &SQLite{dir: dir, made: map[string]bool{}} }

// Peers lists the SQLite peers.
func (s *SQLite) Peers() []PeerDef { return SQLitePeers }

// Reset empties and seeds the peer's database file.
func (s *SQLite) Reset(ctx context.Context, peer string, seed Seed) (Location, error) {
	path := filepath.Join(s.dir, peer+".db")
	db, err := sql.Open("sqlite", SQLiteDSN(path))
	if err != nil {
		return Location{}, err
	}
	defer db.Close()
	s.mu.Lock()
	made := s.made[peer]
	s.made[peer] = true
	s.mu.Unlock()
	if !made {
		for _, stmt := range sqliteDDL {
			if _, err := db.ExecContext(ctx, stmt); err != nil {
				return Location{}, fmt.Errorf("%s: %w", stmt, err)
			}
		}
	}
	if err := sqliteSeed(ctx, db, seed); err != nil {
		return Location{}, fmt.Errorf("seed %s: %w", path, err)
	}
	for _, stmt := range []string{"ANALYZE", "PRAGMA wal_checkpoint(TRUNCATE)"} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return Location{}, fmt.Errorf("%s: %w", stmt, err)
		}
	}
	return Location{Path: path}, nil
}

func sqliteSeed(ctx context.Context, db *sql.DB, seed Seed) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, t := range []string{"book", "author", "item"} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
			return err
		}
	}
	insert := func(query string, rows [][]any) error {
		st, err := tx.PrepareContext(ctx, query)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, r := range rows {
			if _, err := st.ExecContext(ctx, r...); err != nil {
				return err
			}
		}
		return nil
	}
	switch seed {
	case SeedItemRows, SeedStream:
		err = insert("INSERT INTO item (name, title, fax, web, age, active, counter) VALUES (?, ?, ?, ?, ?, ?, ?)", seedItems(seed))
	case SeedLibrary:
		authors, books := library()
		err = insert("INSERT INTO author (name) VALUES (?)", authors)
		if err == nil {
			err = insert("INSERT INTO book (author_id, title, pages) VALUES (?, ?, ?)", books)
		}
	}
	if err != nil {
		return err
	}
	return tx.Commit()
}
