// Package fresh gives the command's example programs an empty database to
// start from, as their -dsn flag names it.
package fresh

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/genrepo/genrepo/dialect/connect"
)

// Database returns the URL of an empty database for the example called
// name (lower-case letters, digits and '_'), and a function that removes
// what is temporary:
//
//   - dsn "": a new SQLite file in a temporary directory, removed by
//     cleanup;
//   - sqlite:PATH: that file, which must be absent or empty (it is created
//     empty);
//   - postgres://…: the schema name of that database, dropped with all it
//     holds and created anew, selected by the URL's search_path. It is kept
//     afterwards, for a look.
func Database(ctx context.Context, dsn, name string) (string, func(), error) {
	if name == "" || strings.Trim(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
		return "", nil, fmt.Errorf("fresh: example name %q: want lower-case letters, digits and '_'", name)
	}
	scheme, rest, _ := strings.Cut(dsn, ":")
	switch {
	case dsn == "":
		dir, err := os.MkdirTemp("", name)
		if err != nil {
			return "", nil, fmt.Errorf("fresh: %w", err)
		}
		path := filepath.Join(dir, name+".db")
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			_ = os.RemoveAll(dir)
			return "", nil, fmt.Errorf("fresh: %w", err)
		}
		return "sqlite:" + path, func() { _ = os.RemoveAll(dir) }, nil
	case scheme == "sqlite" || scheme == "sqlite3":
		path := strings.TrimPrefix(rest, "//")
		if st, err := os.Stat(path); err == nil && st.Size() > 0 {
			return "", nil, fmt.Errorf("fresh: %s is not empty; the example starts from an empty database: name a new file", path)
		}
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			return "", nil, fmt.Errorf("fresh: %w", err)
		}
		return dsn, func() {}, nil
	case scheme == "postgres" || scheme == "postgresql":
		u, err := schema(ctx, dsn, name)
		return u, func() {}, err
	}
	return "", nil, fmt.Errorf("fresh: -dsn %q: want sqlite:PATH or postgres://…", scheme+":…")
}

// schema drops and creates the schema name in the PostgreSQL database dsn
// names, and returns dsn with a search_path selecting it.
func schema(ctx context.Context, dsn, name string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("fresh: -dsn: %w", err)
	}
	db, err := connect.Open(ctx, dsn)
	if err != nil {
		return "", err
	}
	defer func() { _ = db.Close() }()
	quoted := `"` + name + `"` // name is checked above: no quote in it
	for _, stmt := range []string{"DROP SCHEMA IF EXISTS " + quoted + " CASCADE", "CREATE SCHEMA " + quoted} {
		if _, err := db.Exec(ctx, stmt); err != nil {
			return "", fmt.Errorf("fresh: %w", err)
		}
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String(), nil
}
