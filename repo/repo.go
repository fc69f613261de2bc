package repo

import (
	"context"
	"errors"
	"fmt"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
	"github.com/genrepo/genrepo/internal/store"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
	"github.com/genrepo/genrepo/relation"
)

// Errors returned, possibly wrapped, by repositories. Constraint
// violations come back as *dialect.ConstraintError, matching
// dialect.ErrUnique, dialect.ErrForeignKey, dialect.ErrNotNull and
// dialect.ErrCheck.
var (
	// ErrNotFound is returned when Get, One or First matches no row, and
	// when an Update or Delete of a row by its key matches none (the row
	// was deleted meanwhile, or never inserted). It is query.ErrNotFound.
	ErrNotFound = query.ErrNotFound
	// ErrStale is returned by Update and Delete of a row of a table with a
	// version column (mapped.Version) when the stored row with its key has
	// another version: someone else changed it since it was read. The row
	// is left as stored; re-read it and apply the change again. A row that
	// is gone altogether is ErrNotFound instead.
	ErrStale = store.ErrStale
	// ErrNotUnique is returned when One matches more than one row. It is
	// query.ErrNotUnique.
	ErrNotUnique = query.ErrNotUnique
	// ErrNilRow is returned when a nil *T is passed where a row is needed.
	ErrNilRow = store.ErrNilRow
	// ErrNoKey is returned when a key is missing, of the wrong arity, of a
	// type that does not convert to the key's without loss, or zero where a
	// stored row's key is needed (Update and Delete of a row never
	// inserted).
	ErrNoKey = store.ErrNoKey
	// ErrNoCondition is returned by UpdateWhere and DeleteWhere given the
	// zero condition; pass query.AllRows to mean every row.
	ErrNoCondition = errors.New("repo: bulk statement without a condition")
)

// Repo is the repository of rows of type T in one table: insert, get,
// query, update, delete and upsert, SQLAlchemy's Session verbs for one
// mapped class. It runs its statements on the executor it was made with, a
// pool or a transaction. A Repo is immutable and safe for concurrent use
// when its executor is (a pool is; a transaction is not).
type Repo[T any] struct {
	ex dialect.Executor
	// s is the table's statement machinery: its cache of statement text
	// is shared by the repositories With makes.
	s *store.Table[T]
}

// New returns the repository of table t on ex, a pool (dialect.DB) or a
// transaction (dialect.Tx).
//
// Given a nil executor or table, New returns a repository whose every
// operation returns an error saying so, as does the zero Repo: a mistake at
// a call site is an error, never a panic.
func New[T any](ex dialect.Executor, t *mapped.Table[T]) *Repo[T] {
	var f *dialect.Features
	if ex != nil {
		f = ex.Dialect().Features()
	}
	return &Repo[T]{ex: ex, s: store.New(t, f)}
}

// With returns the same repository running on ex, typically a transaction.
// When ex's dialect has the receiver's name and features, it shares the
// receiver's cache of statement text, so it is cheap to make per
// transaction; otherwise it is a new repository, as New makes.
func (r *Repo[T]) With(ex dialect.Executor) *Repo[T] {
	switch {
	case r == nil:
		return New[T](ex, nil)
	case ex == nil || r.ex == nil || r.s == nil || ex.Dialect().Name() != r.ex.Dialect().Name() ||
		ex.Dialect().Features() != r.s.Features():
		return New(ex, r.s.Mapped())
	}
	return &Repo[T]{ex: ex, s: r.s}
}

// Table returns the repository's table, nil for the zero Repo.
func (r *Repo[T]) Table() *mapped.Table[T] {
	if r == nil {
		return nil
	}
	return r.s.Mapped()
}

// Executor returns the pool or transaction the repository runs on, nil
// for the zero Repo.
func (r *Repo[T]) Executor() dialect.Executor {
	if r == nil {
		return nil
	}
	return r.ex
}

// usable returns nil when r can run statements, or the error of the
// operation op saying why it cannot: a nil or zero Repo, or one made with
// a nil executor or table.
func (r *Repo[T]) usable(op string) error {
	switch {
	case r == nil:
		return fmt.Errorf("repo: %s: nil *Repo: make one with repo.New(db, table)", op)
	case r.s.Mapped() == nil:
		return fmt.Errorf("repo: %s: the repository has no table: make it with repo.New(db, table)", op)
	case r.ex == nil:
		return fmt.Errorf("repo: %s %s: the repository has no executor: make it with repo.New(db, table)", op, r.s.Mapped().TableName())
	}
	return nil
}

// maxPresized is the largest limit for which All allocates its result at
// once.
const maxPresized = 1024

// errorf returns err as the error of the operation op on the table: its
// message names the operation once (see internal/errs).
func (r *Repo[T]) errorf(op string, err error) error {
	var s *store.Table[T] // a nil Table names the operation alone
	if r != nil {
		s = r.s
	}
	return s.Errorf(op, err)
}

// Get returns the row whose primary key is key (one value per key column,
// in declaration order). Each value may be of the key column's type or of
// any type that converts to it without loss: an integer of any Go type,
// named or not, that the key's integer type holds (7 for a key of type
// NoteID int64), or a value of the key's underlying type (a string for a
// named string key). It returns ErrNotFound when no row has that key, and
// ErrNoKey when the key has the wrong number of values or one that does
// not convert. On a unit of work's transaction the row is the unit's
// (relation.Identity).
func (r *Repo[T]) Get(ctx context.Context, key ...any) (*T, error) {
	if err := r.usable("get"); err != nil {
		return nil, err
	}
	t := r.s.Mapped()
	pk := t.PrimaryKey()
	if len(key) != len(pk) {
		return nil, r.errorf("get", errs.Errorf("%w: want %d key values (%s), got %d",
			ErrNoKey, len(pk), mapped.ColumnNames(pk), len(key)))
	}
	args := make([]any, len(pk))
	for i, f := range pk {
		a, err := f.KeyArg(r.s.Features(), key[i])
		if err != nil {
			return nil, r.errorf("get", errs.Errorf("%w: %w", ErrNoKey, err))
		}
		args[i] = a
	}
	found, err := r.s.Get(ctx, r.ex, args)
	if err != nil {
		return nil, r.errorf("get", err)
	}
	if found == nil {
		return nil, r.errorf("get", errs.Errorf("%w: key %s", ErrNotFound, store.FormatKey(pk, key)))
	}
	kept, err := relation.Identify(r.ex, t, []*T{found})
	if err != nil {
		return nil, r.errorf("get", err)
	}
	return kept[0], nil
}
