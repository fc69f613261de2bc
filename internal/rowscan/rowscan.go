// Package rowscan is the plumbing shared by the packages that read and
// write whole rows of a mapped table without a repository: relation's
// loaders and the model's cascades. It selects rows into fresh values of
// the table's struct type and runs statements that return none.
package rowscan

import (
	"context"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
	"github.com/genrepo/genrepo/internal/keys"
	"github.com/genrepo/genrepo/internal/store"
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
	d := store.Dests(extra + len(t.Fields()))
	defer d.Release()
	dest := d.List
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

// keysPerCondition bounds the rows one condition on a composite key
// names: SQLite nests one expression level per OR term and refuses more
// than 1000, and a statement's parameters are bounded too.
const keysPerCondition = 300

// KeyConds returns conditions that, together, match the rows of t with
// the primary keys of rows, each to be run in a statement of its own: one
// IN list for a single-column key (which binds any number of keys), an OR
// of each row's key columns, a few hundred rows at a time, for a
// composite one.
func KeyConds[T any](f *dialect.Features, t *mapped.Table[T], rows []*T) ([]query.Cond[T], error) {
	pk := t.PrimaryKey()
	if len(pk) == 1 {
		keys, err := Keys(f, pk[0], rows)
		if err != nil {
			return nil, err
		}
		return []query.Cond[T]{query.In[T](pk[0].Bound(), keys)}, nil
	}
	per := max(1, min(keysPerCondition, f.MaxParams/max(1, len(pk))))
	var out []query.Cond[T]
	for start := 0; start < len(rows); start += per {
		var any []query.Cond[T]
		for _, r := range rows[start:min(start+per, len(rows))] {
			all, err := KeyEquals(f, t, r)
			if err != nil {
				return nil, err
			}
			any = append(any, query.And(all...))
		}
		out = append(out, query.Or(any...))
	}
	return out, nil
}

// Keys returns the bound values of the key column k in rows.
func Keys[T any](f *dialect.Features, k *mapped.Field[T], rows []*T) ([]any, error) {
	keys := make([]any, 0, len(rows))
	for _, r := range rows {
		a, err := k.Bind(f, r)
		if err != nil {
			return nil, err
		}
		keys = append(keys, a)
	}
	return keys, nil
}

// KeyEquals returns, for each primary key column of t, the condition that
// it equals row's value.
func KeyEquals[T any](f *dialect.Features, t *mapped.Table[T], row *T) ([]query.Cond[T], error) {
	pk := t.PrimaryKey()
	all := make([]query.Cond[T], 0, len(pk))
	for _, k := range pk {
		a, err := k.Bind(f, row)
		if err != nil {
			return nil, err
		}
		all = append(all, query.Where[T](query.Equal(k, query.Raw("?", a))))
	}
	return all, nil
}

// Identity returns row's primary key as one comparable value, equal for
// equal keys as the database compares them (keys.Identity): the key
// column's bound value made comparable for a single-column key, without
// allocating. A zero key is an identity like any other.
func Identity[T any](f *dialect.Features, t *mapped.Table[T], row *T) (any, error) {
	pk := t.PrimaryKey()
	if len(pk) == 1 {
		a, err := pk[0].Bind(f, row)
		if err != nil {
			return nil, err
		}
		return keys.Of(a), nil
	}
	args := make([]any, len(pk))
	for i, k := range pk {
		a, err := k.Bind(f, row)
		if err != nil {
			return nil, err
		}
		args[i] = a
	}
	return keys.Identity(args), nil
}
