package bench

import (
	"context"
	"errors"
)

// Peer is one way of doing the benchmarks' work: a library, or a driver
// used by hand. Every method does what a careful user of that tool would
// write for the task, and nothing more.
type Peer interface {
	// Insert inserts one row and fills in its generated key.
	Insert(ctx context.Context, it *Item) error
	// InsertMulti inserts the rows with one multi-row statement (or what
	// the tool offers for it) and fills in their keys.
	InsertMulti(ctx context.Context, items []*Item) error
	// Update writes every column of the row with its key.
	Update(ctx context.Context, it *Item) error
	// Read returns the row with key id.
	Read(ctx context.Context, id int64) (*Item, error)
	// ReadSlice returns SliceRows rows: id > 0, LIMIT SliceRows.
	ReadSlice(ctx context.Context) ([]*Item, error)
	// Query returns the QueryLimit rows with age >= QueryMinAge and active
	// set, by counter descending.
	Query(ctx context.Context) ([]*Item, error)
	// Eager returns SeedAuthors authors by key, each with its books, in two
	// statements.
	Eager(ctx context.Context) ([]*Author, error)
	// Unit does w in one transaction, as a unit of work: it loads the
	// authors with keys w.Keys, sets the name of those with an even key to
	// w.Name and writes that column, inserts w.Books with one multi-row
	// statement (filling in their keys), and deletes the book with key
	// w.Delete. It fails, committing nothing, when an author or the book
	// is missing.
	Unit(ctx context.Context, w *UnitWork) error
	// Close releases the peer's connections.
	Close() error
}

// Location tells a peer where its tables are.
type Location struct {
	// DSN is a PostgreSQL URL whose search_path is the peer's schema
	// (and with synchronous_commit=off for the asynchronous-commit runs).
	DSN string
	// Path is a SQLite database file of the peer's own.
	Path string
}

// PeerDef names a peer and opens it.
type PeerDef struct {
	Name string
	Open func(ctx context.Context, loc Location) (Peer, error)
}

// PostgresPeers are the peers on PostgreSQL; the first is the yardstick.
var PostgresPeers = []PeerDef{
	{"pgx", OpenPgx},
	{"genrepo", OpenGenrepoPostgres},
	{"dbsql", OpenStdPostgres},
	{"gorm", OpenGormPostgres(false)},
	{"gorm-prep", OpenGormPostgres(true)},
	{"bun", OpenBunPostgres},
}

// SQLitePeers are the peers on SQLite; the first is the yardstick:
// database/sql at its fastest, every statement prepared once by hand.
var SQLitePeers = []PeerDef{
	{"dbsql-prep", OpenStdSQLite(true)},
	{"dbsql", OpenStdSQLite(false)},
	{"genrepo", OpenGenrepoSQLite},
	{"gorm", OpenGormSQLite(false)},
	{"gorm-prep", OpenGormSQLite(true)},
	{"bun", OpenBunSQLite},
}

var (
	// errShort is returned when an insert reads back fewer keys than rows.
	errShort = errors.New("bench: insert returned fewer keys than rows")
	// errUnitLoad is returned by Unit when an author to load is missing.
	errUnitLoad = errors.New("bench: unit loaded fewer authors than keys")
	// errUnitDelete is returned by Unit when the book to delete is missing.
	errUnitDelete = errors.New("bench: unit found no book to delete")
)
