package diff

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/genrepo/genrepo/cmd/genrepo/gen"
	"github.com/genrepo/genrepo/dialect"
	runner "github.com/genrepo/genrepo/migrate"
)

// UpToDate refuses, naming them, the migrations of the directory dir that
// the database dsn names has not applied as they are: pending ones,
// changed ones (applied, and their up file changed since) and missing
// ones (applied, and no file has them), as the version table (table, or
// migrate.DefaultTable when "") records them. A diff of such a database
// with the model would repeat what the pending migrations do, or undo
// what the missing ones did: Alembic's autogenerate refuses it too. A
// directory that does not exist holds no migrations. It only reads.
func UpToDate(ctx context.Context, dsn, dir, table string) error {
	if table == "" {
		table = runner.DefaultTable
	}
	var files []runner.Migration
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		if files, err = runner.Load(os.DirFS(dir), "."); err != nil {
			return fmt.Errorf("diff: %s: %w", dir, err)
		}
	}
	db, d, err := gen.Open(dsn)
	if err != nil {
		return fmt.Errorf("diff: %w", err)
	}
	defer func() { _ = db.Close() }()
	applied, err := appliedChecksums(ctx, db, d, table)
	if err != nil {
		return fmt.Errorf("diff: version table %s: %w", table, err)
	}
	var problems []string
	for _, m := range files {
		sum, ok := applied[m.Version]
		switch {
		case !ok:
			problems = append(problems, m.String()+" pending")
		case sum != m.Checksum:
			problems = append(problems, m.String()+" changed since it was applied")
		}
		delete(applied, m.Version)
	}
	missing := make([]int64, 0, len(applied))
	for v := range applied {
		missing = append(missing, v)
	}
	slices.Sort(missing)
	for _, v := range missing {
		problems = append(problems, fmt.Sprintf("version %d applied, and no file has it", v))
	}
	if len(problems) > 0 {
		return fmt.Errorf("diff: the database is not at the latest migration of %s (%s): a diff from it would repeat or undo them; "+
			"apply them first (genrepo migrate up), or put the directory right", dir, strings.Join(problems, ", "))
	}
	return nil
}

// appliedChecksums reads the version table's versions and checksums; a
// missing table is an empty one. On PostgreSQL the table is the current
// schema's, as the runner's is.
func appliedChecksums(ctx context.Context, db *sql.DB, d, table string) (map[int64]string, error) {
	var name string
	if d == Postgres {
		var current *string
		if err := db.QueryRowContext(ctx, "SELECT current_schema()").Scan(&current); err != nil {
			return nil, err
		}
		if current == nil {
			return map[int64]string{}, nil // no schema: nothing can be applied
		}
		name = dialect.Quote(*current) + "." + dialect.Quote(table)
		var exists bool
		if err := db.QueryRowContext(ctx, "SELECT to_regclass($1) IS NOT NULL", name).Scan(&exists); err != nil || !exists {
			return map[int64]string{}, err
		}
	} else {
		name = dialect.Quote(table)
		var n int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&n); err != nil || n == 0 {
			return map[int64]string{}, err
		}
	}
	rows, err := db.QueryContext(ctx, "SELECT version, checksum FROM "+name)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }()
	out := map[int64]string{}
	for rows.Next() {
		var v int64
		var sum string
		if err := rows.Scan(&v, &sum); err != nil {
			return nil, err
		}
		out[v] = sum
	}
	return out, rows.Err()
}
