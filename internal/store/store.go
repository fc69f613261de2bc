// Package store is the statement machinery of one mapped table that the
// repository (package repo) and the unit of work (package uow) share: the
// cache of statement text per shape, binding of rows and keys, INSERTs
// planned, chunked and read back from RETURNING, UPDATEs and DELETEs of
// one row by its key and version, the explanation of one that matched no
// row, and scanning rows into fresh values.
//
// A Table holds what does not change per call: the mapped table, the
// dialect's features and the cache. It runs nothing by itself: what sends
// a statement takes the executor as a parameter, and what only renders
// one takes the dialect. Its errors read as the repository's ("repo:
// insert note: …"), since it speaks for it.
package store

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
)

// Errors the statements of a Table return, possibly wrapped; package repo
// exports them under the same names, with their documentation.
var (
	// ErrStale is returned when an UPDATE or DELETE of a versioned row
	// matched none because the stored row has another version.
	ErrStale = errors.New("repo: stale row: changed by another writer since read")
	// ErrNilRow is returned when a nil *T is passed where a row is needed.
	ErrNilRow = errors.New("repo: nil row")
	// ErrNoKey is returned when a key is missing, of the wrong arity, of a
	// type that does not convert, or zero where a stored row's key is
	// needed.
	ErrNoKey = errors.New("repo: missing or zero primary key")
)

// Table is the statement machinery of one mapped table on one dialect's
// features. Its cache is built as statements are first rendered and never
// changes once stored, so a Table is safe for concurrent use; share it
// only among executors whose dialect has the name and features of the
// dialect its statements are rendered for.
type Table[T any] struct {
	t     *mapped.Table[T]
	f     *dialect.Features
	cache sqlCache
}

// New returns the machinery of t under the dialect features f, with an
// empty cache. Either may be nil, for a repository that refuses every
// operation; nothing of a Table with a nil table or features may run.
func New[T any](t *mapped.Table[T], f *dialect.Features) *Table[T] {
	return &Table[T]{t: t, f: f}
}

// Mapped returns the mapped table, nil for a nil Table.
func (s *Table[T]) Mapped() *mapped.Table[T] {
	if s == nil {
		return nil
	}
	return s.t
}

// Features returns the dialect features the Table binds values for, nil
// for a nil Table.
func (s *Table[T]) Features() *dialect.Features {
	if s == nil {
		return nil
	}
	return s.f
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

// Errorf returns err as the error of the repository's operation op on the
// table: its message names the operation once (see internal/errs). A nil
// Table, or one without a table, names the operation alone.
func (s *Table[T]) Errorf(op string, err error) error {
	if s == nil || s.t == nil {
		return errs.Errorf("repo: %s: %w", op, err)
	}
	return errs.Errorf("repo: %s %s: %w", op, s.t.TableName(), err)
}

// Columns returns the table's columns as expressions, built once. The
// slice's capacity is its length, so appending to it copies it.
func (s *Table[T]) Columns() []query.Expr {
	if p := s.cache.cols.Load(); p != nil {
		return *p
	}
	fields := s.t.Fields()
	cols := make([]query.Expr, len(fields))
	for i, f := range fields {
		cols[i] = f
	}
	s.cache.cols.Store(&cols)
	return cols
}

// Scan reads every row of rows into new values of T, handing each to fn,
// which returns false to stop. It closes rows.
func (s *Table[T]) Scan(rows dialect.Rows, fn func(*T) bool) error {
	defer rows.Close()
	fields := s.t.Fields()
	dest := Dests(len(fields))
	defer dest.Release()
	for rows.Next() {
		row := new(T)
		for i, f := range fields {
			dest.List[i] = f.Dest(s.f, row)
		}
		if err := rows.Scan(dest.List...); err != nil {
			return errs.Errorf("scan: %w", err)
		}
		if !fn(row) {
			return nil
		}
	}
	return rows.Close()
}

// DestList is a list of scan destinations, one per column, borrowed from
// a pool with Dests and given back with Release once the rows are closed.
type DestList struct{ List []any }

// destLists holds spare DestLists, so that scanning the rows of a query
// allocates no list of destinations once warm. It is the package's only
// state: a pool of scratch values, each used by one scan at a time and
// cleared before it goes back.
var destLists = sync.Pool{New: func() any { return new(DestList) }}

// Dests returns a list of n destinations, all nil.
func Dests(n int) *DestList {
	d := destLists.Get().(*DestList)
	if cap(d.List) < n {
		d.List = make([]any, n)
	}
	d.List = d.List[:n]
	return d
}

// Release clears d, so that it keeps no row alive, and puts it back for
// the next scan; d must not be used afterwards. A driver keeps no
// destination list after Scan returns.
func (d *DestList) Release() {
	clear(d.List)
	destLists.Put(d)
}

// Get runs, on ex, the SELECT of the row whose key columns have the bound
// values args, and returns it, or nil when no row has them. Its errors are
// not wrapped in the operation's.
func (s *Table[T]) Get(ctx context.Context, ex dialect.Executor, args []any) (*T, error) {
	sql, err := s.cache.text(shape{op: 'g'}, true, func() (string, error) {
		b := query.NewBuilder(ex.Dialect())
		b.WriteString("SELECT ")
		selectList(b, s.t.Fields())
		b.WriteString(" FROM ")
		b.Table(s.t)
		appendKeyWhere(b, s.t.PrimaryKey(), args)
		return b.SQL(), b.Err()
	})
	if err != nil {
		return nil, err
	}
	rows, err := ex.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	var found *T
	if err := s.Scan(rows, func(row *T) bool { found = row; return false }); err != nil {
		return nil, err
	}
	return found, nil
}

// keyArgs returns the arguments of row's key, one per key column, or
// ErrNoKey when a key column is zero.
func (s *Table[T]) keyArgs(row *T) ([]any, error) {
	args := make([]any, len(s.t.PrimaryKey()))
	if err := s.BindKey(args, row, false); err != nil {
		return nil, err
	}
	return args, nil
}

// BindKey stores the arguments of row's key in dst, one per key column;
// unless zeroOK, a zero key column is ErrNoKey.
func (s *Table[T]) BindKey(dst []any, row *T, zeroOK bool) error {
	for i, f := range s.t.PrimaryKey() {
		if !zeroOK && f.IsZero(row) {
			return errs.Errorf("%w: %s is zero", ErrNoKey, f.Name())
		}
		a, err := f.Bind(s.f, row)
		if err != nil {
			return err
		}
		dst[i] = a
	}
	return nil
}

// nonKey returns the columns outside the primary key, which an UPDATE
// writes by default, found once.
func (s *Table[T]) nonKey() []*mapped.Field[T] {
	if p, ok := s.cache.plans.Load(shape{op: 'n'}); ok {
		return p.([]*mapped.Field[T])
	}
	var set []*mapped.Field[T]
	for _, f := range s.t.Fields() {
		if !f.Info().PrimaryKey && !f.Info().Version {
			set = append(set, f)
		}
	}
	s.cache.plans.Store(shape{op: 'n'}, set)
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

// FormatKey spells the key values key of the key columns pk for an error
// message: "id=7", "a=1, b=x".
func FormatKey[T any](pk []*mapped.Field[T], key []any) string {
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
	return FormatKey(pk, key)
}
