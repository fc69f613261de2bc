package repo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
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
	ErrStale = errors.New("repo: stale row: changed by another writer since read")
	// ErrNotUnique is returned when One matches more than one row. It is
	// query.ErrNotUnique.
	ErrNotUnique = query.ErrNotUnique
	// ErrNilRow is returned when a nil *T is passed where a row is needed.
	ErrNilRow = errors.New("repo: nil row")
	// ErrNoKey is returned when a key is missing, of the wrong arity, of a
	// type that does not convert to the key's without loss, or zero where a
	// stored row's key is needed (Update and Delete of a row never
	// inserted).
	ErrNoKey = errors.New("repo: missing or zero primary key")
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
	ex    dialect.Executor
	t     *mapped.Table[T]
	f     *dialect.Features
	cache *sqlCache
}

// New returns the repository of table t on ex, a pool (dialect.DB) or a
// transaction (dialect.Tx).
//
// Given a nil executor or table, New returns a repository whose every
// operation returns an error saying so, as does the zero Repo: a mistake at
// a call site is an error, never a panic.
func New[T any](ex dialect.Executor, t *mapped.Table[T]) *Repo[T] {
	r := &Repo[T]{ex: ex, t: t, cache: &sqlCache{}}
	if ex != nil {
		r.f = ex.Dialect().Features()
	}
	return r
}

// With returns the same repository running on ex, typically a transaction.
// When ex's dialect has the receiver's name and features, it shares the
// receiver's cache of statement text, so it is cheap to make per
// transaction; otherwise it is a new repository, as New makes.
func (r *Repo[T]) With(ex dialect.Executor) *Repo[T] {
	switch {
	case r == nil:
		return New[T](ex, nil)
	case ex == nil || r.ex == nil || r.cache == nil || ex.Dialect().Name() != r.ex.Dialect().Name() ||
		ex.Dialect().Features() != r.f:
		return New(ex, r.t)
	}
	return &Repo[T]{ex: ex, t: r.t, f: r.f, cache: r.cache}
}

// Table returns the repository's table, nil for the zero Repo.
func (r *Repo[T]) Table() *mapped.Table[T] {
	if r == nil {
		return nil
	}
	return r.t
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
	case r.t == nil:
		return fmt.Errorf("repo: %s: the repository has no table: make it with repo.New(db, table)", op)
	case r.ex == nil || r.cache == nil:
		return fmt.Errorf("repo: %s %s: the repository has no executor: make it with repo.New(db, table)", op, r.t.TableName())
	}
	return nil
}

// sqlCache holds what fixed-shape statements need, built once: m maps a
// shape to its text; plans maps an INSERT's shape to its *insertPlan[T],
// and shape{op: 'n'} to the columns outside the key; cols is the table's
// columns as expressions, for SELECTs of whole rows. Nothing in it changes
// once stored.
type sqlCache struct {
	m, plans sync.Map
	cols     atomic.Pointer[[]query.Expr]
}

// maxPresized is the largest limit for which All allocates its result at
// once.
const maxPresized = 1024

// columns returns the table's columns as expressions, built once. The
// slice's capacity is its length, so appending to it copies it.
func (r *Repo[T]) columns() []query.Expr {
	if p := r.cache.cols.Load(); p != nil {
		return *p
	}
	fields := r.t.Fields()
	cols := make([]query.Expr, len(fields))
	for i, f := range fields {
		cols[i] = f
	}
	r.cache.cols.Store(&cols)
	return cols
}

// shape identifies a statement's text: the operation, the columns it
// leaves out or sets (a bit each), the rows it writes and, for upserts,
// the conflict target and updated columns.
type shape struct {
	op    byte
	mask  uint64
	n     int
	extra string
}

// text returns the cached text for key, building it with render when
// missing.
func (c *sqlCache) text(key shape, cacheable bool, render func() (string, error)) (string, error) {
	if cacheable {
		if s, ok := c.m.Load(key); ok {
			return s.(string), nil
		}
	}
	s, err := render()
	if err != nil {
		return "", err
	}
	if cacheable {
		c.m.Store(key, s)
	}
	return s, nil
}

// errorf returns err as the error of the operation op on the table: its
// message names the operation once (see internal/errs).
func (r *Repo[T]) errorf(op string, err error) error {
	if r == nil || r.t == nil {
		return errs.Errorf("repo: %s: %w", op, err)
	}
	return errs.Errorf("repo: %s %s: %w", op, r.t.TableName(), err)
}

// scan reads every row of rows into new values of T, handing each to fn,
// which returns false to stop.
func (r *Repo[T]) scan(rows dialect.Rows, fn func(*T) bool) error {
	defer rows.Close()
	fields := r.t.Fields()
	dest := make([]any, len(fields))
	for rows.Next() {
		row := new(T)
		for i, f := range fields {
			dest[i] = f.Dest(r.f, row)
		}
		if err := rows.Scan(dest...); err != nil {
			return errs.Errorf("scan: %w", err)
		}
		if !fn(row) {
			return nil
		}
	}
	return rows.Close()
}

// keyArgs returns the arguments of row's key, one per key column.
func (r *Repo[T]) keyArgs(row *T) ([]any, error) {
	args := make([]any, len(r.t.PrimaryKey()))
	if err := r.fillKeyArgs(args, row); err != nil {
		return nil, err
	}
	return args, nil
}

// fillKeyArgs stores the arguments of row's key in dst, one per key
// column, or reports ErrNoKey when a key column is zero.
func (r *Repo[T]) fillKeyArgs(dst []any, row *T) error { return r.bindKey(dst, row, false) }

// bindKey stores the arguments of row's key in dst, one per key column;
// unless zeroOK, a zero key column is ErrNoKey.
func (r *Repo[T]) bindKey(dst []any, row *T, zeroOK bool) error {
	for i, f := range r.t.PrimaryKey() {
		if !zeroOK && f.IsZero(row) {
			return errs.Errorf("%w: %s is zero", ErrNoKey, f.Name())
		}
		a, err := f.Bind(r.f, row)
		if err != nil {
			return err
		}
		dst[i] = a
	}
	return nil
}

// nonKey returns the columns outside the primary key, which Update writes
// by default, found once.
func (r *Repo[T]) nonKey() []*mapped.Field[T] {
	if p, ok := r.cache.plans.Load(shape{op: 'n'}); ok {
		return p.([]*mapped.Field[T])
	}
	var set []*mapped.Field[T]
	for _, f := range r.t.Fields() {
		if !f.Info().PrimaryKey && !f.Info().Version {
			set = append(set, f)
		}
	}
	r.cache.plans.Store(shape{op: 'n'}, set)
	return set
}

// appendKeyWhere appends WHERE "k1" = ? AND "k2" = ?, binding args.
func appendKeyWhere[T any](b *query.Builder, pk []*mapped.Field[T], args []any) {
	b.WriteString(" WHERE ")
	for i, f := range pk {
		if i > 0 {
			b.WriteString(" AND ")
		}
		b.Ident(f.Name())
		b.WriteString(" = ")
		b.Bind(args[i])
	}
}

func selectList[T any](b *query.Builder, fields []*mapped.Field[T]) {
	for i, f := range fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.Ident(f.Name())
	}
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
	pk := r.t.PrimaryKey()
	if len(key) != len(pk) {
		return nil, r.errorf("get", errs.Errorf("%w: want %d key values (%s), got %d",
			ErrNoKey, len(pk), mapped.ColumnNames(pk), len(key)))
	}
	args := make([]any, len(pk))
	for i, f := range pk {
		a, err := f.KeyArg(r.f, key[i])
		if err != nil {
			return nil, r.errorf("get", errs.Errorf("%w: %w", ErrNoKey, err))
		}
		args[i] = a
	}
	sql, err := r.cache.text(shape{op: 'g'}, true, func() (string, error) {
		b := query.NewBuilder(r.ex.Dialect())
		b.WriteString("SELECT ")
		selectList(b, r.t.Fields())
		b.WriteString(" FROM ")
		b.Table(r.t)
		appendKeyWhere(b, pk, args)
		return b.SQL(), b.Err()
	})
	if err != nil {
		return nil, r.errorf("get", err)
	}
	rows, err := r.ex.Query(ctx, sql, args...)
	if err != nil {
		return nil, r.errorf("get", err)
	}
	var found *T
	if err := r.scan(rows, func(row *T) bool { found = row; return false }); err != nil {
		return nil, r.errorf("get", err)
	}
	if found == nil {
		return nil, r.errorf("get", errs.Errorf("%w: key %s", ErrNotFound, formatKey(pk, key)))
	}
	kept, err := relation.Identify(r.ex, r.t, []*T{found})
	if err != nil {
		return nil, r.errorf("get", err)
	}
	return kept[0], nil
}

func formatKey[T any](pk []*mapped.Field[T], key []any) string {
	parts := make([]string, len(pk))
	for i, f := range pk {
		parts[i] = fmt.Sprintf("%s=%v", f.Name(), key[i])
	}
	return strings.Join(parts, ", ")
}

func rowKey[T any](pk []*mapped.Field[T], row *T) string {
	key := make([]any, len(pk))
	for i, f := range pk {
		key[i] = f.Value(row)
	}
	return formatKey(pk, key)
}
