package repo

import (
	"context"
	"fmt"
	"slices"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
	"github.com/genrepo/genrepo/internal/rowscan"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/relation"
)

// Link relates a to each of bs through the many-to-many relation rel by
// inserting association rows (one statement per thousand pairs, in one
// transaction when there are several), SQLAlchemy's
// movie.actors.append(actor), and appends bs to a's collection when it is
// loaded. The rows must have been inserted; a pair stored already breaks
// the association table's key.
func Link[A, B any](ctx context.Context, ex dialect.Executor, rel *relation.ManyToMany[A, B], a *A, bs ...*B) error {
	op := "link"
	if err := relCall(ex, rel == nil, op); err != nil {
		return err
	}
	if len(bs) == 0 && a != nil {
		return nil
	}
	stmts, err := rel.LinkStatements(ex.Dialect().Features(), a, bs)
	if err == nil {
		err = rowscan.ExecAll(ctx, ex, stmts)
	}
	if err != nil {
		return errs.Errorf("repo: link %s with %s: %w", rel.Parent(), rel.Child(), err)
	}
	if cur := *rel.Field(a); cur != nil {
		*rel.Field(a) = append(cur, bs...)
	}
	return nil
}

// Unlink deletes the association rows between a and each of bs through
// rel, leaving the rows themselves, SQLAlchemy's
// movie.actors.remove(actor), and takes them out of a's collection when it
// is loaded. On a handle bound to a model with rules for the association
// table (model.OnDelete over rows that reference association rows), they
// run first, in one transaction with the DELETE (model.CascadeWhere).
func Unlink[A, B any](ctx context.Context, ex dialect.Executor, rel *relation.ManyToMany[A, B], a *A, bs ...*B) error {
	if err := relCall(ex, rel == nil, "unlink"); err != nil {
		return err
	}
	if len(bs) == 0 && a != nil {
		return nil
	}
	cond, err := rel.PairsOf(a, bs)
	if err == nil {
		err = deleteLinks(ctx, ex, rel.Through(), cond)
	}
	if err != nil {
		return errs.Errorf("repo: unlink %s from %s: %w", rel.Child(), rel.Parent(), err)
	}
	if cur := *rel.Field(a); cur != nil {
		*rel.Field(a) = slices.DeleteFunc(slices.Clone(cur), func(x *B) bool {
			return slices.ContainsFunc(bs, func(b *B) bool { return rel.Same(x, b) })
		})
	}
	return nil
}

// deleteLinks deletes the association rows of links that cond selects,
// after the rules of the model ex is bound to for them (model.OnDelete
// over the rows referencing them), in one transaction (a savepoint inside
// a caller's) when there are any.
func deleteLinks(ctx context.Context, ex dialect.Executor, links mapped.Schema, cond query.Condition) error {
	del := &query.Delete{From: links, Where: []query.Condition{cond}}
	if !model.Cascades(ex, links) {
		return rowscan.Exec(ctx, ex, del)
	}
	return dialect.InTx(ctx, ex, func(tx dialect.Executor) error {
		if err := model.CascadeWhere(ctx, tx, links, cond); err != nil {
			return err
		}
		return rowscan.Exec(ctx, tx, del)
	})
}

// SetParent makes parent the parent of child through the many-to-one
// relation rel: it writes child's foreign key (an UPDATE of that column
// by child's key) and sets child's pointer. Both rows must have been
// inserted; ErrNotFound when no row has child's key.
func SetParent[C, P any](ctx context.Context, ex dialect.Executor, rel *relation.ManyToOne[C, P], child *C, parent *P) error {
	if err := relCall(ex, rel == nil, "set parent"); err != nil {
		return err
	}
	if parent == nil {
		return errs.Errorf("repo: set %s of %s: %w", rel.Parent(), rel.Child(), ErrNilRow)
	}
	if err := writeParent(ctx, ex, rel, child, parent); err != nil {
		return errs.Errorf("repo: set %s of %s: %w", rel.Parent(), rel.Child(), err)
	}
	rel.Adopt(child, parent)
	*rel.Field(child) = parent
	return nil
}

// ClearParent takes child's parent away through rel: it writes NULL to the
// foreign key, which must be nullable, and clears the pointer.
func ClearParent[C, P any](ctx context.Context, ex dialect.Executor, rel *relation.ManyToOne[C, P], child *C) error {
	if err := relCall(ex, rel == nil, "clear parent"); err != nil {
		return err
	}
	if err := writeParent(ctx, ex, rel, child, nil); err != nil {
		return errs.Errorf("repo: clear %s of %s: %w", rel.Parent(), rel.Child(), err)
	}
	rel.Release(child)
	*rel.Field(child) = nil
	return nil
}

func relCall(ex dialect.Executor, nilRel bool, op string) error {
	switch {
	case ex == nil:
		return fmt.Errorf("repo: %s: nil executor", op)
	case nilRel:
		return fmt.Errorf("repo: %s: nil relation", op)
	}
	return nil
}

// writeParent updates child's foreign key to parent's key, or to NULL.
func writeParent[C, P any](ctx context.Context, ex dialect.Executor, rel *relation.ManyToOne[C, P], child *C, parent *P) error {
	if child == nil {
		return ErrNilRow
	}
	f := ex.Dialect().Features()
	set, err := rel.KeyAssignment(f, parent)
	if err != nil {
		return err
	}
	where, err := keyConds(f, rel.Child(), child)
	if err != nil {
		return err
	}
	sql, args, err := query.Render(ex.Dialect(), &query.Update{Table: rel.Child(), Set: []query.Assignment{set}, Where: where})
	if err != nil {
		return err
	}
	n, err := ex.Exec(ctx, sql, args...)
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%w: no %s row has the key of the row given", ErrNotFound, rel.Child())
	}
	return nil
}

// keyConds is the condition that a row of t has row's primary key,
// refusing a zero key.
func keyConds[T any](f *dialect.Features, t *mapped.Table[T], row *T) ([]query.Condition, error) {
	for _, k := range t.PrimaryKey() {
		if k.IsZero(row) {
			return nil, fmt.Errorf("%w: the %s row has no key yet (%s is zero)", ErrNoKey, t, k.Name())
		}
	}
	all, err := rowscan.KeyEquals(f, t, row)
	if err != nil {
		return nil, err
	}
	where := make([]query.Condition, len(all))
	for i, c := range all {
		where[i] = c
	}
	return where, nil
}
