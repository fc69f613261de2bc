package repo

import (
	"context"
	"fmt"
	"strings"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
)

// maxRowsPerInsert bounds the rows of one multi-row INSERT, whatever the
// parameter limit allows, to keep statements a reasonable size.
const maxRowsPerInsert = 1000

// insertRow is one row bound for INSERT: the arguments of the columns it
// writes and the mask of the columns it leaves to the database.
type insertRow[T any] struct {
	row  *T
	args []any
	mask uint64
}

// bindInsert binds the columns of row that an INSERT writes, appending
// them to buf; the row's args are the part of buf it appended, so that the
// arguments of consecutive rows bound into one buf lie side by side, as a
// multi-row INSERT binds them. A generated key that is zero, and a column
// with a default whose value is NULL, are left out (bit i of mask set) and
// read back with RETURNING.
func (r *Repo[T]) bindInsert(row *T, buf []any) (insertRow[T], []any, error) {
	if row == nil {
		return insertRow[T]{}, buf, ErrNilRow
	}
	if v := r.t.Version(); v != nil && v.VersionOf(row) == 0 {
		v.SetVersion(row, 1)
	}
	start := len(buf)
	ir := insertRow[T]{row: row}
	for i, f := range r.t.Fields() {
		if f == r.t.Auto() && f.IsZero(row) {
			ir.mask |= 1 << i
			continue
		}
		arg, err := f.Bind(r.f, row)
		if err != nil {
			return insertRow[T]{}, buf[:start], err
		}
		if arg == nil && f.Info().HasDefault() {
			ir.mask |= 1 << i
			continue
		}
		buf = append(buf, arg)
	}
	ir.args = buf[start:len(buf):len(buf)]
	return ir, buf, nil
}

// split returns the names of the written columns and the fields read back.
func (r *Repo[T]) split(mask uint64) (cols []string, ret []*mapped.Field[T]) {
	for i, f := range r.t.Fields() {
		if mask&(1<<i) != 0 {
			ret = append(ret, f)
		} else {
			cols = append(cols, f.Name())
		}
	}
	return cols, ret
}

// Insert inserts row. A generated key left zero is filled in from
// RETURNING, as are columns left NULL that have a default. Constraint
// violations are *dialect.ConstraintError; on any error nothing is written.
func (r *Repo[T]) Insert(ctx context.Context, row *T) error {
	ir, args, err := r.bindInsert(row, make([]any, 0, len(r.t.Fields())))
	if err != nil {
		return r.errorf("insert", err)
	}
	if err := r.insertChunk(ctx, r.ex, []insertRow[T]{ir}, args, nil, nil); err != nil {
		return r.errorf("insert", err)
	}
	return nil
}

// InsertMany inserts rows with as few statements as the dialect's
// parameter limit allows (multi-row INSERT … RETURNING), filling generated
// keys and defaults as Insert does. Every row is checked before anything
// is sent, and when more than one statement is needed they run in one
// transaction (a savepoint inside a caller's transaction): either every
// row is inserted or none is.
func (r *Repo[T]) InsertMany(ctx context.Context, rows []*T) error {
	bound := make([]insertRow[T], len(rows))
	// One buffer holds every row's arguments, in order, so that each
	// chunk's arguments are a slice of it; its capacity is enough for
	// every column of every row, so it never moves.
	buf := make([]any, 0, len(rows)*len(r.t.Fields()))
	for i, row := range rows {
		ir, b, err := r.bindInsert(row, buf)
		if err != nil {
			return r.errorf("insert", fmt.Errorf("row %d: %w", i, err))
		}
		bound[i], buf = ir, b
	}
	chunks := r.chunk(bound)
	args := make([][]any, len(chunks))
	off := 0
	for i, c := range chunks {
		n := 0
		for _, ir := range c {
			n += len(ir.args)
		}
		args[i], off = buf[off:off+n:off+n], off+n
	}
	if len(chunks) <= 1 {
		for i, c := range chunks {
			if err := r.insertChunk(ctx, r.ex, c, args[i], nil, nil); err != nil {
				return r.errorf("insert", err)
			}
		}
		return nil
	}
	err := dialect.InTx(ctx, r.ex, func(tx dialect.Executor) error {
		for i, c := range chunks {
			if err := r.insertChunk(ctx, tx, c, args[i], nil, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		// Nothing was stored: take back the keys and defaults that earlier
		// statements had filled in, so the rows can be inserted again.
		for _, ir := range bound {
			_, ret := r.split(ir.mask)
			for _, f := range ret {
				f.Clear(ir.row)
			}
		}
		return r.errorf("insert", err)
	}
	return nil
}

// chunk groups consecutive rows that write the same columns, each group
// under the parameter limit.
func (r *Repo[T]) chunk(rows []insertRow[T]) [][]insertRow[T] {
	var out [][]insertRow[T]
	for len(rows) > 0 {
		per := maxRowsPerInsert
		if n := len(rows[0].args); n > 0 {
			per = min(per, r.f.MaxParams/n)
		} else {
			// A row that writes no column is INSERT … DEFAULT VALUES,
			// which inserts one row only.
			per = 1
		}
		end := 1
		for end < len(rows) && end < per && rows[end].mask == rows[0].mask {
			end++
		}
		out = append(out, rows[:end])
		rows = rows[end:]
	}
	return out
}

// insertPlan is the text of an INSERT of one shape and the fields it reads
// back, built once per shape.
type insertPlan[T any] struct {
	sql string
	ret []*mapped.Field[T]
}

// plan returns the INSERT of rows sharing mask (the shape key), binding
// args; with conflict set it is an upsert overwriting the update columns.
func (r *Repo[T]) plan(ex dialect.Executor, key shape, args []any, conflict, update []string) (*insertPlan[T], error) {
	if p, ok := r.cache.plans.Load(key); ok {
		return p.(*insertPlan[T]), nil
	}
	cols, ret := r.split(key.mask)
	if len(conflict) > 0 {
		// Upserts read the key back too: on conflict it is the stored row's.
		ret = r.withKey(ret)
	}
	stmt := &query.Insert{Into: r.t, Columns: cols, Values: args, OnConflict: conflict, Update: update,
		Returning: fieldNames(ret)}
	sql, _, err := query.Render(ex.Dialect(), stmt)
	if err != nil {
		return nil, err
	}
	p := &insertPlan[T]{sql: sql, ret: ret}
	r.cache.plans.Store(key, p)
	return p, nil
}

// insertChunk runs one INSERT of rows that share a mask, binding args, the
// rows' arguments side by side. With conflict set it is an upsert
// overwriting the update columns.
func (r *Repo[T]) insertChunk(ctx context.Context, ex dialect.Executor, rows []insertRow[T], args []any, conflict, update []string) error {
	op := byte('i')
	if len(conflict) > 0 {
		op = 'u'
	}
	key := shape{op: op, mask: rows[0].mask, n: len(rows)}
	if len(conflict) > 0 {
		key.extra = strings.Join(conflict, ",") + "|" + strings.Join(update, ",")
	}
	p, err := r.plan(ex, key, args, conflict, update)
	if err != nil {
		return err
	}
	sql, ret := p.sql, p.ret
	if len(ret) == 0 {
		if _, err := ex.Exec(ctx, sql, args...); err != nil {
			return err
		}
		return r.syncIdentity(ctx, ex, rows[0].mask)
	}
	res, err := ex.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer res.Close()
	dest := make([]any, len(ret))
	i := 0
	for res.Next() {
		if i >= len(rows) {
			return fmt.Errorf("insert returned more rows than it wrote")
		}
		for j, f := range ret {
			dest[j] = f.Dest(r.f, rows[i].row)
		}
		if err := res.Scan(dest...); err != nil {
			return fmt.Errorf("scan returned columns: %w", err)
		}
		i++
	}
	if err := res.Close(); err != nil {
		return err
	}
	if i != len(rows) {
		return fmt.Errorf("insert returned %d rows for %d written", i, len(rows))
	}
	return r.syncIdentity(ctx, ex, rows[0].mask)
}

// syncIdentity moves the key generator past keys written explicitly (the
// generated key's bit is clear in mask), where the dialect needs it: a
// later insert must not be handed a key already taken.
func (r *Repo[T]) syncIdentity(ctx context.Context, ex dialect.Executor, mask uint64) error {
	auto := r.t.Auto()
	if auto == nil || r.f.SyncIdentity == nil || mask&(1<<auto.Info().Pos) != 0 {
		return nil
	}
	sql, args := r.f.SyncIdentity(r.t.TableName(), auto.Name())
	_, err := ex.Exec(ctx, sql, args...)
	return err
}

func (r *Repo[T]) withKey(ret []*mapped.Field[T]) []*mapped.Field[T] {
	for _, k := range r.t.PrimaryKey() {
		found := false
		for _, f := range ret {
			found = found || f == k
		}
		if !found {
			ret = append(ret, k)
		}
	}
	return ret
}

func fieldNames[T any](fs []*mapped.Field[T]) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name()
	}
	return out
}

// Upsert inserts row, or, when a row with the same values in the conflict
// target already exists, updates that row's other columns to row's values
// (SQLAlchemy's merge). The target is the primary key unless columns are
// given (they must carry a unique constraint). The row's key is filled in
// from the stored row either way.
func (r *Repo[T]) Upsert(ctx context.Context, row *T, target ...mapped.AnyColumn[T]) error {
	ir, args, err := r.bindInsert(row, make([]any, 0, len(r.t.Fields())))
	if err != nil {
		return r.errorf("upsert", err)
	}
	var conflict []string
	if len(target) == 0 {
		conflict = fieldNames(r.t.PrimaryKey())
	}
	for _, c := range target {
		conflict = append(conflict, c.Field().Name())
	}
	cols, _ := r.split(ir.mask)
	var update []string
	for _, c := range cols {
		if info := r.t.Field(c).Info(); !contains(conflict, c) && !info.PrimaryKey && !info.Version {
			update = append(update, c)
		}
	}
	if len(update) == 0 {
		// Nothing to overwrite: a no-op update still returns the stored
		// row's key, where DO NOTHING would return no row.
		update = conflict[:1]
	}
	if err := r.insertChunk(ctx, r.ex, []insertRow[T]{ir}, args, conflict, update); err != nil {
		return r.errorf("upsert", err)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Update writes row to the stored row with the same primary key: every
// column but the key, or only cols when given. Zero values are written like
// any other value, never skipped. It returns ErrNoKey when row's key is
// zero, and ErrNotFound when no stored row has its key.
//
// When the table has a version column (mapped.Version), Update matches the
// row's version too and sets the stored version to one more, whichever
// columns are written; on success it increments the row's field. A stored
// row with another version is ErrStale, and nothing is written. The version
// column itself is never written from the row.
func (r *Repo[T]) Update(ctx context.Context, row *T, cols ...mapped.AnyColumn[T]) error {
	if row == nil {
		return r.errorf("update", ErrNilRow)
	}
	set, mask, setErr := r.updateSet(cols)
	ver := r.t.Version()
	// The arguments: the columns set, then the key, then the version.
	nk := len(r.t.PrimaryKey())
	args := make([]any, len(set)+nk, len(set)+nk+1)
	keys := args[len(set):]
	if err := r.fillKeyArgs(keys, row); err != nil {
		return r.errorf("update", err)
	}
	if setErr != nil {
		return r.errorf("update", setErr)
	}
	for i, f := range set {
		a, err := f.Bind(r.f, row)
		if err != nil {
			return r.errorf("update", err)
		}
		args[i] = a
	}
	var old int64
	if ver != nil {
		old = ver.VersionOf(row)
		args = append(args, old)
	}
	sql, err := r.cache.text(shape{op: 'U', mask: mask}, true, func() (string, error) {
		b := query.NewBuilder(r.ex.Dialect())
		b.WriteString("UPDATE ")
		b.Ident(r.t.TableName())
		b.WriteString(" SET ")
		for i, f := range set {
			if i > 0 {
				b.WriteString(", ")
			}
			b.Ident(f.Name())
			b.WriteString(" = ")
			b.Bind(args[i])
		}
		if ver != nil {
			if len(set) > 0 {
				b.WriteString(", ")
			}
			b.Ident(ver.Name())
			b.WriteString(" = ")
			b.Ident(ver.Name())
			b.WriteString(" + 1")
		}
		appendKeyWhere(b, r.t.PrimaryKey(), keys)
		appendVersionWhere(b, ver, args)
		return b.SQL(), b.Err()
	})
	if err != nil {
		return r.errorf("update", err)
	}
	if err := r.execKeyed(ctx, "update", sql, args, keys, row); err != nil {
		return err
	}
	if ver != nil {
		ver.SetVersion(row, old+1)
	}
	return nil
}

// appendVersionWhere adds the match on the version column ver, bound to
// the last of args, when the table has one.
func appendVersionWhere[T any](b *query.Builder, ver *mapped.Field[T], args []any) {
	if ver == nil {
		return
	}
	b.WriteString(" AND ")
	b.Ident(ver.Name())
	b.WriteString(" = ")
	b.Bind(args[len(args)-1])
}

// updateSet returns the columns an Update of cols sets (every column but
// the key when cols is empty) and their mask, or why they cannot be set.
func (r *Repo[T]) updateSet(cols []mapped.AnyColumn[T]) ([]*mapped.Field[T], uint64, error) {
	if len(cols) == 0 {
		set := r.nonKey()
		if len(set) == 0 && r.t.Version() == nil {
			return nil, 0, fmt.Errorf("no column to update: every column is part of the key")
		}
		return set, 0, nil
	}
	set := make([]*mapped.Field[T], 0, len(cols))
	var mask uint64
	for _, c := range cols {
		f := c.Field()
		if f.Info().PrimaryKey {
			return nil, 0, fmt.Errorf("cannot update key column %s; delete and insert instead", f.Name())
		}
		if f.Info().Version {
			continue // bumped by the statement itself
		}
		set = append(set, f)
		mask |= 1 << f.Info().Pos
	}
	return set, mask, nil
}

// execKeyed runs a statement on the row with row's key (keys, bound),
// reporting ErrNotFound when it matched no row; on a table with a version
// column, ErrStale when it matched none because a row with that key has
// another version, as a follow-up SELECT of the key tells.
func (r *Repo[T]) execKeyed(ctx context.Context, op, sql string, args, keys []any, row *T) error {
	n, err := r.ex.Exec(ctx, sql, args...)
	if err != nil {
		return r.errorf(op, err)
	}
	if n > 0 {
		return nil
	}
	if ver := r.t.Version(); ver != nil {
		found, err := r.keyExists(ctx, keys)
		if err != nil {
			return r.errorf(op, err)
		}
		if found {
			return r.errorf(op, fmt.Errorf("%w: %s at version %d", ErrStale, rowKey(r.t.PrimaryKey(), row), ver.VersionOf(row)))
		}
	}
	return r.errorf(op, fmt.Errorf("%w: no row with %s", ErrNotFound, rowKey(r.t.PrimaryKey(), row)))
}

// keyExists reports whether a stored row has the key keys (bound).
func (r *Repo[T]) keyExists(ctx context.Context, keys []any) (bool, error) {
	sql, err := r.cache.text(shape{op: 'k'}, true, func() (string, error) {
		b := query.NewBuilder(r.ex.Dialect())
		b.WriteString("SELECT 1 FROM ")
		b.Ident(r.t.TableName())
		appendKeyWhere(b, r.t.PrimaryKey(), keys)
		return b.SQL(), b.Err()
	})
	if err != nil {
		return false, err
	}
	res, err := r.ex.Query(ctx, sql, keys...)
	if err != nil {
		return false, err
	}
	defer res.Close()
	found := res.Next()
	return found, res.Close()
}

// Delete deletes the stored row with row's primary key. It returns ErrNoKey
// when the key is zero and ErrNotFound when no row has it; on a table with
// a version column it matches the row's version too, and a stored row with
// another version is ErrStale, left in place. When relations
// declare cascades from this table, they run first in the same
// transaction (a savepoint inside a caller's), deepest rows first: the
// delete and its cascades happen together or not at all.
func (r *Repo[T]) Delete(ctx context.Context, row *T) error {
	if row == nil {
		return r.errorf("delete", ErrNilRow)
	}
	keys, err := r.keyArgs(row)
	if err != nil {
		return r.errorf("delete", err)
	}
	args := keys
	ver := r.t.Version()
	if ver != nil {
		args = append(keys[:len(keys):len(keys)], ver.VersionOf(row))
	}
	sql, err := r.cache.text(shape{op: 'd'}, true, func() (string, error) {
		b := query.NewBuilder(r.ex.Dialect())
		b.WriteString("DELETE FROM ")
		b.Ident(r.t.TableName())
		appendKeyWhere(b, r.t.PrimaryKey(), keys)
		appendVersionWhere(b, ver, args)
		return b.SQL(), b.Err()
	})
	if err != nil {
		return r.errorf("delete", err)
	}
	if len(r.t.DeleteHooks()) == 0 {
		return r.execKeyed(ctx, "delete", sql, args, keys, row)
	}
	return dialect.InTx(ctx, r.ex, func(tx dialect.Executor) error {
		if err := r.cascade(ctx, tx, []*T{row}); err != nil {
			return err
		}
		return r.With(tx).execKeyed(ctx, "delete", sql, args, keys, row)
	})
}

// cascade runs the table's delete hooks (the cascades of its relations)
// for rows about to be deleted.
func (r *Repo[T]) cascade(ctx context.Context, tx dialect.Executor, rows []*T) error {
	for _, h := range r.t.DeleteHooks() {
		if err := h(ctx, tx, rows); err != nil {
			return r.errorf("delete", err)
		}
	}
	return nil
}

// UpdateWhere applies the assignments to every row matching cond and
// returns how many rows it changed. The zero condition is refused with
// ErrNoCondition; query.AllRows[T]() updates every row.
func (r *Repo[T]) UpdateWhere(ctx context.Context, cond query.Cond[T], set ...query.Assign[T]) (int64, error) {
	if cond.IsZero() {
		return 0, r.errorf("update", ErrNoCondition)
	}
	if len(set) == 0 {
		return 0, r.errorf("update", fmt.Errorf("no assignment given"))
	}
	stmt := &query.Update{Table: r.t, Where: []query.Condition{cond}}
	for _, a := range set {
		stmt.Set = append(stmt.Set, a.Assignment)
	}
	return r.execStmt(ctx, "update", stmt)
}

// DeleteWhere deletes every row matching cond and returns how many it
// deleted, applying relation cascades as Delete does. The zero condition is refused with ErrNoCondition;
// query.AllRows[T]() deletes every row.
func (r *Repo[T]) DeleteWhere(ctx context.Context, cond query.Cond[T]) (int64, error) {
	if cond.IsZero() {
		return 0, r.errorf("delete", ErrNoCondition)
	}
	stmt := &query.Delete{From: r.t, Where: []query.Condition{cond}}
	if len(r.t.DeleteHooks()) == 0 {
		return r.execStmt(ctx, "delete", stmt)
	}
	var n int64
	err := dialect.InTx(ctx, r.ex, func(tx dialect.Executor) error {
		rt := r.With(tx)
		rows, err := rt.Where(cond).All(ctx)
		if err != nil || len(rows) == 0 {
			return err
		}
		if err := r.cascade(ctx, tx, rows); err != nil {
			return err
		}
		// The rows cascaded from go by their keys: cond may match other
		// rows now, as when it is a condition through a relation whose
		// rows the cascades just deleted.
		n, err = rt.deleteRows(ctx, rows)
		return err
	})
	return n, err
}

// deleteRows deletes rows by their keys: with one statement for a
// single-column key, one per row for a composite key.
func (r *Repo[T]) deleteRows(ctx context.Context, rows []*T) (int64, error) {
	pk := r.t.PrimaryKey()
	if len(pk) == 1 {
		keys := make([]any, len(rows))
		for i, row := range rows {
			k, err := pk[0].Bind(r.f, row)
			if err != nil {
				return 0, r.errorf("delete", err)
			}
			keys[i] = k
		}
		where := query.In[T](boundKey[T]{pk[0]}, keys)
		return r.execStmt(ctx, "delete", &query.Delete{From: r.t, Where: []query.Condition{where}})
	}
	var n int64
	for _, row := range rows {
		var where []query.Condition
		for _, f := range pk {
			k, err := f.Bind(r.f, row)
			if err != nil {
				return 0, r.errorf("delete", err)
			}
			where = append(where, query.Compare[T](boundKey[T]{f}, query.Eq, k))
		}
		m, err := r.execStmt(ctx, "delete", &query.Delete{From: r.t, Where: where})
		if err != nil {
			return 0, err
		}
		n += m
	}
	return n, nil
}

// boundKey views a key column as yielding driver arguments, for matching
// rows by keys already bound.
type boundKey[T any] struct{ *mapped.Field[T] }

func (boundKey[T]) Codec() query.Codec[any] { return query.CodecFor[any]() }

func (r *Repo[T]) execStmt(ctx context.Context, op string, stmt query.Statement) (int64, error) {
	sql, args, err := query.Render(r.ex.Dialect(), stmt)
	if err != nil {
		return 0, r.errorf(op, err)
	}
	n, err := r.ex.Exec(ctx, sql, args...)
	if err != nil {
		return 0, r.errorf(op, err)
	}
	return n, nil
}
