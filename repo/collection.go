package repo

import (
	"context"
	"fmt"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
	"github.com/genrepo/genrepo/internal/rowscan"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/relation"
)

// SaveCollection writes the membership of parent's loaded collection
// through rel, in one transaction (a savepoint inside a caller's):
//
//   - a child with a generated key still zero is inserted as parent's;
//   - a stored child that belonged elsewhere gets parent's key;
//   - a stored child of parent that is no longer in the collection is
//     deleted, with its own cascades, when the model ex is bound to declares
//     model.DeleteOrphans for rel,
//     and otherwise released: its foreign key is set to NULL, or, on a NOT
//     NULL key, the save fails and nothing is written.
//
// Other columns of the children are not written; use Update for those.
// The collection must have been loaded (relation.ErrNotLoaded otherwise)
// and parent inserted (ErrNoKey).
func SaveCollection[P, C any](ctx context.Context, ex dialect.Executor, rel *relation.OneToMany[P, C], parent *P) error {
	switch {
	case ex == nil:
		return fmt.Errorf("repo: save collection: nil executor")
	case rel == nil:
		return fmt.Errorf("repo: save collection: nil relation")
	case parent == nil:
		return errs.Errorf("repo: save collection: %w", ErrNilRow)
	}
	wanted, err := rel.Get(parent)
	if err != nil {
		return errs.Errorf("repo: save collection: %w", err)
	}
	mine, ok := rel.ChildrenOf(parent)
	if !ok {
		return errs.Errorf("repo: save collection of %s: %w: the parent has not been inserted", rel.Parent(), ErrNoKey)
	}
	fk := rel.ForeignKey()
	return dialect.InTx(ctx, ex, func(tx dialect.Executor) error {
		children := New(tx, rel.Child())
		stored, err := children.Where(mine).All(ctx)
		if err != nil {
			return err
		}
		kept := make(map[any]bool, len(wanted))
		var added []*C
		for _, c := range wanted {
			if c == nil {
				return errs.Errorf("repo: save collection of %s: %w in the collection", rel.Parent(), ErrNilRow)
			}
			if auto := rel.Child().Auto(); auto != nil && auto.IsZero(c) {
				rel.Adopt(c, parent)
				added = append(added, c)
				continue
			}
			k, err := children.keyOf(c)
			if err != nil {
				return err
			}
			kept[k] = true
			if !rel.BelongsTo(c, parent) {
				rel.Adopt(c, parent)
				if err := children.Update(ctx, c, fk); err != nil {
					return err
				}
			}
		}
		for _, c := range stored {
			k, err := children.keyOf(c)
			if err != nil {
				return err
			}
			if kept[k] {
				continue
			}
			switch {
			case model.Of(ex).DeletesOrphans(fk.Info()):
				err = children.Delete(ctx, c)
			case rel.Nullable():
				rel.Release(c)
				err = children.Update(ctx, c, fk)
			default:
				err = fmt.Errorf("repo: a %s removed from its %s's collection cannot be kept: its %s is NOT NULL; declare model.DeleteOrphans for the relation or make the key nullable",
					rel.Child(), rel.Parent(), fk.Name())
			}
			if err != nil {
				return err
			}
		}
		return children.InsertMany(ctx, added)
	})
}

// keyOf identifies a row by its primary key as the database compares it,
// for set membership: the key's values as the dialect binds them, made
// comparable by keys.Identity (times as instants, composite keys spelt so
// that no two are alike). Unlike the identity by which an insert matches
// the rows it reads back (internal/store), it accepts a zero key, which a
// stored row may have.
func (r *Repo[T]) keyOf(row *T) (any, error) {
	id, err := rowscan.Identity(r.s.Features(), r.Table(), row)
	if err != nil {
		return nil, r.errorf("save collection", err)
	}
	return id, nil
}
