// Package rowscan is the plumbing shared by the packages that read and
// write whole rows of a mapped table without a repository: relation's
// loaders and the model's cascades. It selects rows into fresh values of
// the table's struct type and runs statements that return none.
package rowscan

import (
	"context"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
)

// Select runs stmt, a SELECT whose last columns are t's (Columns), and
// hands each row to fn. extra expressions are selected before t's columns
// and scanned into the destinations extraDest returns for each row; what
// names the failure is op, as "relation" or "model".
func Select[T any](ctx context.Context, ex dialect.Executor, op string, t *mapped.Table[T], stmt query.Statement,
	extra int, extraDest func(row *T, dest []any), fn func(row *T)) error {
	sql, args, err := query.Render(ex.Dialect(), stmt)
	if err != nil {
		return err
	}
	rows, err := ex.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	f := ex.Dialect().Features()
	dest := make([]any, extra+len(t.Fields()))
	for rows.Next() {
		row := new(T)
		if extra > 0 {
			extraDest(row, dest[:extra])
		}
		t.Dests(f, row, dest[extra:])
		if err := rows.Scan(dest...); err != nil {
			return errs.Errorf("%s: scan %s: %w", op, t.TableName(), err)
		}
		fn(row)
	}
	return rows.Close()
}

// Columns returns t's columns as expressions, for a SELECT of whole rows.
func Columns[T any](t *mapped.Table[T]) []query.Expr {
	fs := t.Fields()
	out := make([]query.Expr, len(fs))
	for i, f := range fs {
		out[i] = f
	}
	return out
}

// Exec renders stmt for ex's dialect and runs it.
func Exec(ctx context.Context, ex dialect.Executor, stmt query.Statement) error {
	sql, args, err := query.Render(ex.Dialect(), stmt)
	if err != nil {
		return err
	}
	_, err = ex.Exec(ctx, sql, args...)
	return err
}

// Exists runs stmt, a probe selecting at most one row, and reports
// whether it found one.
func Exists(ctx context.Context, ex dialect.Executor, stmt query.Statement) (bool, error) {
	sql, args, err := query.Render(ex.Dialect(), stmt)
	if err != nil {
		return false, err
	}
	rows, err := ex.Query(ctx, sql, args...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	found := rows.Next()
	return found, rows.Close()
}

// ExecAll runs stmts in order, in one transaction (a savepoint inside a
// caller's) when there are several, so that they take effect together or
// not at all.
func ExecAll(ctx context.Context, ex dialect.Executor, stmts []query.Statement) error {
	run := func(ex dialect.Executor) error {
		for _, s := range stmts {
			if err := Exec(ctx, ex, s); err != nil {
				return err
			}
		}
		return nil
	}
	if len(stmts) <= 1 {
		return run(ex)
	}
	return dialect.InTx(ctx, ex, run)
}
