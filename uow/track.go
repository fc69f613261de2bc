package uow

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/repo"
)

// tracker is a unit's record of one table, with its row type erased, so
// that a flush can walk the tables in foreign-key order.
type tracker interface {
	insert(ctx context.Context, u *Unit) error
	update(ctx context.Context, u *Unit) error
	delete(ctx context.Context, u *Unit) error
	forget()
	bind(tx dialect.Tx)
	save() func()
}

// entry is a row loaded or written by the unit, with the driver arguments
// of its columns as last read or written: the baseline of its changes.
type entry[T any] struct {
	row  *T
	key  any
	snap []any
	gone bool // deleted by a flush
}

// table is what a unit tracks of one table: its loaded rows, by key and by
// pointer, and the rows to insert and delete at the next flush.
type table[T any] struct {
	t         *mapped.Table[T]
	r         *repo.Repo[T]
	loaded    []*entry[T] // in the order loaded, so flushes are repeatable
	byKey     map[any]*entry[T]
	byRow     map[*T]*entry[T]
	added     []*T
	deleted   []*T
	pending   map[*T]bool // the rows of added (true) and deleted (false)
	generated []*T        // rows whose generated key a flush filled in
}

// tableOf returns the unit's record of t, starting one when t is new to it.
func tableOf[T any](u *Unit, t *mapped.Table[T]) *table[T] {
	if tr, ok := u.tables[t]; ok {
		return tr.(*table[T])
	}
	tb := &table[T]{t: t, r: repo.New(u.tx, t), byKey: map[any]*entry[T]{}, byRow: map[*T]*entry[T]{},
		pending: map[*T]bool{}}
	u.tables[t] = tb
	u.order = append(u.order, t)
	return tb
}

// identity returns a comparable identity for key, the driver arguments of
// a row's key columns.
func identity(key []any) any {
	if len(key) == 1 {
		if b, ok := key[0].([]byte); ok {
			return string(b)
		}
		return key[0]
	}
	var sb strings.Builder
	for _, k := range key {
		fmt.Fprintf(&sb, "%T:%v\x00", k, k)
	}
	return sb.String()
}

// rowKey returns the identity of row's stored key.
func (tb *table[T]) rowKey(u *Unit, row *T) (any, error) {
	pk := tb.t.PrimaryKey()
	key := make([]any, len(pk))
	for i, f := range pk {
		a, err := f.Bind(u.f, row)
		if err != nil {
			return nil, err
		}
		key[i] = a
	}
	return identity(key), nil
}

// lookup returns the loaded row with key, given as to Get, or nil when
// none is loaded or the key does not fit (Get's statement then reports
// why).
func (tb *table[T]) lookup(u *Unit, key []any) *entry[T] {
	pk := tb.t.PrimaryKey()
	if len(key) != len(pk) {
		return nil
	}
	args := make([]any, len(pk))
	for i, f := range pk {
		a, err := f.KeyArg(u.f, key[i])
		if err != nil {
			return nil
		}
		args[i] = a
	}
	return tb.byKey[identity(args)]
}

// snapshot returns the driver arguments of row's columns, copied so that
// changing the row in place (a byte of a []byte, the target of a pointer)
// leaves them as they were.
func (tb *table[T]) snapshot(u *Unit, row *T) ([]any, error) {
	fields := tb.t.Fields()
	snap := make([]any, len(fields))
	for i, f := range fields {
		a, err := f.Bind(u.f, row)
		if err != nil {
			return nil, err
		}
		snap[i] = own(a)
	}
	return snap, nil
}

// track returns the unit's row with row's key: the one already loaded, or
// row itself, recorded with its current values as its baseline.
func (tb *table[T]) track(u *Unit, row *T) (*T, error) {
	key, err := tb.rowKey(u, row)
	if err != nil {
		return nil, err
	}
	if e, ok := tb.byKey[key]; ok {
		return e.row, nil
	}
	snap, err := tb.snapshot(u, row)
	if err != nil {
		return nil, err
	}
	e := &entry[T]{row: row, key: key, snap: snap}
	tb.loaded = append(tb.loaded, e)
	tb.byKey[key] = e
	tb.byRow[row] = e
	return row, nil
}

// pendingDelete reports whether row is to be deleted at the next flush.
func (tb *table[T]) pendingDelete(row *T) bool {
	added, ok := tb.pending[row]
	return ok && !added
}

func (tb *table[T]) insert(ctx context.Context, u *Unit) error {
	if len(tb.added) == 0 {
		return nil
	}
	auto := tb.t.Auto()
	var fresh []*T
	for _, row := range tb.added {
		if auto != nil && auto.IsZero(row) {
			fresh = append(fresh, row)
		}
	}
	if err := tb.r.InsertMany(ctx, tb.added); err != nil {
		return err
	}
	tb.generated = append(tb.generated, fresh...)
	for _, row := range tb.added {
		delete(tb.pending, row)
		if _, err := tb.track(u, row); err != nil {
			return err
		}
	}
	tb.added = tb.added[:0]
	return nil
}

func (tb *table[T]) update(ctx context.Context, u *Unit) error {
	fields := tb.t.Fields()
	var cols []mapped.AnyColumn[T]
	for _, e := range tb.loaded {
		if e.gone || tb.pendingDelete(e.row) {
			continue
		}
		cur, err := tb.snapshot(u, e.row)
		if err != nil {
			return err
		}
		cols = cols[:0]
		for i, f := range fields {
			if equal(cur[i], e.snap[i]) {
				continue
			}
			if f.Info().PrimaryKey {
				return fmt.Errorf("uow: %s: key column %s of a loaded row changed; delete and add instead",
					tb.t.TableName(), f.Name())
			}
			cols = append(cols, f)
		}
		if len(cols) == 0 {
			continue
		}
		if err := tb.r.Update(ctx, e.row, cols...); err != nil {
			return err
		}
		if v := tb.t.Version(); v != nil {
			// Update bumped the row's version: that is no change to write.
			a, err := v.Bind(u.f, e.row)
			if err != nil {
				return err
			}
			cur[v.Info().Pos] = own(a)
		}
		e.snap = cur
	}
	return nil
}

func (tb *table[T]) delete(ctx context.Context, u *Unit) error {
	if len(tb.deleted) == 0 {
		return nil
	}
	for _, row := range tb.deleted {
		if err := tb.r.Delete(ctx, row); err != nil {
			return err
		}
		delete(tb.pending, row)
		if e, ok := tb.byRow[row]; ok {
			e.gone = true
			delete(tb.byRow, row)
			delete(tb.byKey, e.key)
		}
	}
	tb.deleted = tb.deleted[:0]
	live := tb.loaded[:0]
	for _, e := range tb.loaded {
		if !e.gone {
			live = append(live, e)
		}
	}
	clear(tb.loaded[len(live):])
	tb.loaded = live
	return nil
}

// forget clears the keys generated for rows whose insert is undone.
func (tb *table[T]) forget() {
	if auto := tb.t.Auto(); auto != nil {
		for _, row := range tb.generated {
			auto.Clear(row)
		}
	}
}

// own returns a driver argument that shares no memory with the row it was
// bound from: a []byte is copied and a pointer (which drivers send as its
// target, or NULL) is replaced by a copy of its target. Other arguments
// are values already, or are never equal (see equal), so shared memory
// cannot hide a change.
func own(a any) any {
	switch x := a.(type) {
	case nil, string, int64, bool, float64, time.Time:
		return a
	case []byte:
		return bytes.Clone(x)
	}
	if v := reflect.ValueOf(a); v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		return own(v.Elem().Interface())
	}
	return a
}

// equal reports whether two driver arguments hold the same value: bytes
// compared by content, times as instants, other values with ==, as long as
// their type is comparable (otherwise, a slice for a PostgreSQL array
// say, they count as changed and are written at every flush).
func equal(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case []byte:
		y, ok := b.([]byte)
		return ok && (x == nil) == (y == nil) && bytes.Equal(x, y)
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	case string:
		y, ok := b.(string)
		return ok && x == y
	case int64:
		y, ok := b.(int64)
		return ok && x == y
	}
	if t := reflect.TypeOf(a); t != reflect.TypeOf(b) || !t.Comparable() {
		return false
	}
	return a == b
}
