package gen

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"ariga.io/atlas/sql/postgres"
	"ariga.io/atlas/sql/schema"
	"ariga.io/atlas/sql/sqlite"

	// The database/sql drivers Atlas inspects through: the same pgx and
	// modernc.org/sqlite that genrepo's dialects use.
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// Dialect names of the databases Generate reads.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// Open opens the database named by dsn through database/sql, as
// connect.Open names databases: postgres://… (or postgresql://…) through
// pgx's stdlib, sqlite:PATH through modernc.org/sqlite. It returns the
// dialect's name beside the handle, which the caller closes.
func Open(dsn string) (*sql.DB, string, error) {
	scheme, rest, ok := strings.Cut(dsn, ":")
	switch strings.ToLower(scheme) {
	case "postgres", "postgresql":
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, "", fmt.Errorf("gen: open: %w", err)
		}
		return db, Postgres, nil
	case "sqlite", "sqlite3":
		path := strings.TrimPrefix(rest, "//")
		if !ok || path == "" {
			return nil, "", fmt.Errorf("gen: open: no database file in the sqlite URL; want sqlite:PATH")
		}
		// PATH is a file name, as connect.Open reads it, not a URI: the
		// characters that end or alter a URI's path are escaped.
		escaped := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
		db, err := sql.Open("sqlite", "file:"+escaped+"?mode=ro")
		if err != nil {
			return nil, "", fmt.Errorf("gen: open: %w", err)
		}
		return db, SQLite, nil
	}
	return nil, "", fmt.Errorf("gen: open: unknown scheme %q; want postgres://… or sqlite:PATH", scheme)
}

// Querier is what Inspect reads through: a *sql.DB, *sql.Conn or *sql.Tx.
type Querier interface {
	schema.ExecQuerier
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Inspect reads the tables of one schema through Atlas's inspector of the
// dialect: name is a PostgreSQL schema ("" for the connection's current
// schema) and ignored on SQLite. tables, when not empty, limits the
// inspection to the named tables; one that does not exist is an error.
func Inspect(ctx context.Context, db Querier, dialect, name string, tables []string) (*schema.Schema, error) {
	var insp schema.Inspector
	switch dialect {
	case Postgres:
		drv, err := postgres.Open(db)
		if err != nil {
			return nil, fmt.Errorf("gen: inspect: %w", err)
		}
		insp = drv
		if name == "" {
			if err := db.QueryRowContext(ctx, "SELECT current_schema()").Scan(&name); err != nil {
				return nil, fmt.Errorf("gen: inspect: current schema: %w", err)
			}
		}
	case SQLite:
		drv, err := sqlite.Open(db)
		if err != nil {
			return nil, fmt.Errorf("gen: inspect: %w", err)
		}
		insp, name = drv, "main"
	default:
		return nil, fmt.Errorf("gen: inspect: unknown dialect %q", dialect)
	}
	s, err := insp.InspectSchema(ctx, name, &schema.InspectOptions{Tables: tables, Mode: schema.InspectTables})
	if err != nil {
		return nil, fmt.Errorf("gen: inspect schema %q: %w", name, err)
	}
	for _, t := range tables {
		if !slices.ContainsFunc(s.Tables, func(st *schema.Table) bool { return st.Name == t }) {
			return nil, fmt.Errorf("gen: inspect: no table %q in schema %q", t, name)
		}
	}
	s.Tables = slices.DeleteFunc(s.Tables, func(t *schema.Table) bool {
		return dialect == SQLite && strings.HasPrefix(t.Name, "sqlite_")
	})
	if dialect == SQLite {
		for _, t := range s.Tables {
			if err := sqliteKeyOrder(ctx, db, t); err != nil {
				return nil, fmt.Errorf("gen: inspect: table %s: primary key: %w", t.Name, err)
			}
		}
	}
	return s, nil
}

// sqliteKeyOrder puts the parts of t's primary key in the key's order,
// which Atlas's SQLite inspector gives in the columns' order.
func sqliteKeyOrder(ctx context.Context, db Querier, t *schema.Table) error {
	if t.PrimaryKey == nil || len(t.PrimaryKey.Parts) < 2 {
		return nil
	}
	rows, err := db.QueryContext(ctx, "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", t.Name)
	if err != nil {
		return err
	}
	defer func() { _ = rows.Close() }()
	var order []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		order = append(order, name)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	slices.SortStableFunc(t.PrimaryKey.Parts, func(a, b *schema.IndexPart) int {
		if a.C == nil || b.C == nil {
			return 0
		}
		return slices.Index(order, a.C.Name) - slices.Index(order, b.C.Name)
	})
	return nil
}
