package model

import (
	"context"
	"reflect"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/keys"
	"github.com/genrepo/genrepo/internal/rowscan"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
)

// deletingKey is the context key of the rows a delete with cascades is
// deleting: those it began with (Cascade) and those each level of its
// cascade deletes (deleteChildren), which are not cascaded into again.
type deletingKey struct{}

// deleting is the rows of one table being deleted, a []*T, linked to
// those of the levels around them.
type deleting struct {
	table *mapped.Info
	rows  any
	outer *deleting
}

// withDeleting returns ctx adding rows, of t, to the rows being deleted.
func withDeleting[T any](ctx context.Context, t *mapped.Table[T], rows []*T) context.Context {
	return withRows(ctx, t.Info(), rows)
}

// withRows is withDeleting for rows, a []*T of table.
func withRows(ctx context.Context, table *mapped.Info, rows any) context.Context {
	outer, _ := ctx.Value(deletingKey{}).(*deleting)
	return context.WithValue(ctx, deletingKey{}, &deleting{table: table, rows: rows, outer: outer})
}

// reader reads the rows of one table that cond selects, as a []*T, and
// how many, for a rule that deletes rows of a table whose row type it
// does not know (Links, whose association rows may have rules of their
// own).
type reader func(ctx context.Context, ex dialect.Executor, cond query.Condition) (rows any, n int, err error)

// readerOf returns the reader of t.
func readerOf[T any](t *mapped.Table[T]) reader {
	return func(ctx context.Context, ex dialect.Executor, cond query.Condition) (any, int, error) {
		var out []*T
		stmt := &query.Select{Columns: rowscan.Columns(t), From: t, Where: []query.Condition{cond}}
		err := rowscan.Select(ctx, ex, "model", t, stmt, 0, nil, func(r *T) { out = append(out, r) })
		return out, len(out), err
	}
}

// deletingOf returns the rows of t being deleted.
func deletingOf[T any](ctx context.Context, t *mapped.Table[T]) []*T {
	var out []*T
	for d, _ := ctx.Value(deletingKey{}).(*deleting); d != nil; d = d.outer {
		if rows, ok := d.rows.([]*T); ok && d.table == t.Info() {
			out = append(out, rows...)
		}
	}
	return out
}

// keyBudget is the most parameters a condition naming rows by a
// composite key may bind in a statement, leaving the rest of the
// dialect's limit to the statement's other conditions.
func keyBudget(f *dialect.Features) int { return f.MaxParams / 2 }

// among is the condition that a row of t is one of rows, by its primary
// key: an IN list for a single-column key (which binds any number of
// keys), else an OR of each row's key columns, a few hundred rows to a
// parenthesised group (SQLite's expression depth grows with each OR). It
// is false when rows is empty, and when a composite key's conditions
// would bind more than budget parameters.
func among[T any](f *dialect.Features, t *mapped.Table[T], rows []*T, budget int) (query.Cond[T], bool, error) {
	pk := t.PrimaryKey()
	if len(rows) == 0 || len(pk) > 1 && len(rows)*len(pk) > budget {
		return query.Cond[T]{}, false, nil
	}
	conds, err := rowscan.KeyConds(f, t, rows)
	if err != nil {
		return query.Cond[T]{}, false, err
	}
	if len(conds) == 1 {
		return conds[0], true, nil
	}
	groups := make([]query.Cond[T], len(conds))
	for i, c := range conds {
		groups[i] = query.Where[T](c)
	}
	return query.Or(groups...), true, nil
}

// notAmong is the condition that a row of t is none of rows, by its
// primary key; false when rows is empty or a composite key's rows are
// too many for one statement (keyBudget).
func notAmong[T any](f *dialect.Features, t *mapped.Table[T], rows []*T) (query.Condition, bool) {
	pk := t.PrimaryKey()
	if len(pk) == 1 {
		keys, err := rowscan.Keys(f, pk[0], rows)
		if err != nil {
			return nil, false
		}
		return query.NotIn[T](pk[0].Bound(), keys), true
	}
	in, ok, err := among(f, t, rows, keyBudget(f))
	if err != nil || !ok {
		return nil, false
	}
	return query.Not(in), true
}

// children reads the rows of t that cond selects, telling those that are
// not among gone (kept) from those that are (again). The database tells
// them apart, comparing the keys as it does everywhere else, in one
// SELECT; when gone's keys are too many for one statement (a composite
// key), they are compared here, as a unit of work's identity map does.
func children[T any](ctx context.Context, ex dialect.Executor, t *mapped.Table[T], cond query.Cond[T], gone []*T) (kept, again []*T, err error) {
	stmt := &query.Select{Columns: rowscan.Columns(t), From: t, Where: []query.Condition{cond}}
	if len(gone) == 0 {
		err := rowscan.Select(ctx, ex, "model", t, stmt, 0, nil, func(r *T) { kept = append(kept, r) })
		return kept, nil, err
	}
	f := ex.Dialect().Features()
	in, ok, err := among(f, t, gone, keyBudget(f))
	if err != nil {
		return nil, nil, err
	}
	if ok {
		stmt.Columns = append([]query.Expr{in}, stmt.Columns...)
		var member bool
		err := rowscan.Select(ctx, ex, "model", t, stmt, 1, func(_ *T, dest []any) { dest[0] = &member }, func(r *T) {
			if member {
				again = append(again, r)
			} else {
				kept = append(kept, r)
			}
		})
		return kept, again, err
	}
	ids := make(map[any]bool, len(gone))
	for _, r := range gone {
		id, err := rowscan.Identity(f, t, r)
		if err != nil {
			return nil, nil, err
		}
		ids[id] = true
	}
	var read []*T
	if err := rowscan.Select(ctx, ex, "model", t, stmt, 0, nil, func(r *T) { read = append(read, r) }); err != nil {
		return nil, nil, err
	}
	for _, r := range read {
		id, err := rowscan.Identity(f, t, r)
		if err != nil {
			return nil, nil, err
		}
		if ids[id] {
			again = append(again, r)
		} else {
			kept = append(kept, r)
		}
	}
	return kept, again, nil
}

// unlink points the foreign key of rel in rows, children of rows about to
// be deleted that are being deleted too but after them, away from those
// parents, so that the parents can go first: to NULL, or, a NOT NULL key
// of a table referencing itself, to the row itself (a row may be its own
// parent). A row that is its own parent already is left as it is. Only a
// row being deleted is changed, in the delete's transaction.
func unlink[P, C any](ctx context.Context, ex dialect.Executor, rel Parental[P, C], rows []*C) error {
	if len(rows) == 0 {
		return nil
	}
	child, fk := rel.Child(), rel.ForeignKey()
	f := ex.Dialect().Features()
	own := ownKey(child, fk)
	var to query.Expr = query.Raw("NULL")
	if !rel.Nullable() {
		if own == nil {
			return nil
		}
		to = own
	}
	var moved []*C
	for _, r := range rows {
		self, err := parentOfItself(f, fk, own, r)
		if err != nil {
			return err
		}
		if !self {
			moved = append(moved, r)
		}
	}
	if len(moved) == 0 {
		return nil
	}
	conds, err := rowscan.KeyConds(f, child, moved)
	if err != nil {
		return err
	}
	for _, c := range conds {
		stmt := &query.Update{Table: child, Set: []query.Assignment{{Column: fk.Name(), Value: to}}, Where: []query.Condition{c}}
		if err := rowscan.Exec(ctx, ex, stmt); err != nil {
			return err
		}
	}
	return nil
}

// ownKey returns the column of t that its foreign key fk references, when
// fk references t itself; else nil.
func ownKey[T any](t *mapped.Table[T], fk *mapped.Field[T]) *mapped.Field[T] {
	ref := fk.Info().References
	if ref == nil || ref.Table.Info() != t.Info() {
		return nil
	}
	for _, c := range t.Fields() {
		if c.Name() == ref.Column {
			return c
		}
	}
	return nil
}

// parentOfItself reports whether row's foreign key fk holds row's own
// key, own (nil: fk references another table).
func parentOfItself[T any](f *dialect.Features, fk, own *mapped.Field[T], row *T) (bool, error) {
	if own == nil {
		return false, nil
	}
	a, err := fk.Bind(f, row)
	if err != nil {
		return false, err
	}
	b, err := own.Bind(f, row)
	if err != nil {
		return false, err
	}
	return target(a) == keys.Of(b), nil
}

// target is a driver argument's value, through the pointer a nullable
// column binds, in its comparable form (keys.Of).
func target(a any) any {
	v := reflect.ValueOf(a)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if !v.IsValid() {
		return nil
	}
	return keys.Of(v.Interface())
}

// deleteRows deletes rows of t by their primary keys.
func deleteRows[T any](ctx context.Context, ex dialect.Executor, t *mapped.Table[T], rows []*T) error {
	if len(rows) == 0 {
		return nil
	}
	conds, err := rowscan.KeyConds(ex.Dialect().Features(), t, rows)
	if err != nil {
		return err
	}
	for _, c := range conds {
		if err := rowscan.Exec(ctx, ex, &query.Delete{From: t, Where: []query.Condition{c}}); err != nil {
			return err
		}
	}
	return nil
}
