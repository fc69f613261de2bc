// Package connect opens a database from a URL whose scheme names the
// dialect, SQLAlchemy's create_engine in Go:
//
//	db, err := connect.Open(ctx, "sqlite:music.db")
//	db, err := connect.Open(ctx, "sqlite::memory:")
//	db, err := connect.Open(ctx, "postgres://user@localhost:5432/music")
//
// It imports every dialect; a program that needs only one can import that
// dialect's package and call its Open directly, and never compiles the
// other driver.
package connect

import (
	"context"
	"fmt"
	"strings"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/postgres"
	"github.com/genrepo/genrepo/dialect/sqlite"
)

// Open opens the database named by url:
//
//   - postgres://… and postgresql://… open a pgxpool pool (see postgres.Open);
//   - sqlite:PATH (or sqlite3:PATH) opens or creates the file PATH
//     (sqlite:///abs/path.db and sqlite:relative.db both work), and
//     sqlite::memory: a private in-memory database (see sqlite.Open).
//
// Any other scheme is an error naming it.
func Open(ctx context.Context, url string, opts ...dialect.Option) (dialect.DB, error) {
	scheme, rest, ok := strings.Cut(url, ":")
	if !ok || scheme == "" {
		return nil, fmt.Errorf("connect: %q has no scheme; want postgres://… or sqlite:PATH", dialect.Redact(url))
	}
	switch strings.ToLower(scheme) {
	case "postgres", "postgresql":
		return postgres.Open(ctx, url, opts...)
	case "sqlite", "sqlite3":
		path := strings.TrimPrefix(rest, "//") // sqlite:///abs/path.db → /abs/path.db
		if path == "" {
			return nil, fmt.Errorf("connect: %q names no database file; want sqlite:PATH (a file) or sqlite::memory: (in memory)", url)
		}
		return sqlite.Open(ctx, path, opts...)
	}
	return nil, fmt.Errorf("connect: unknown scheme %q in %q; want postgres, postgresql or sqlite", scheme, dialect.Redact(url))
}
