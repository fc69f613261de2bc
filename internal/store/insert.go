package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
	"github.com/genrepo/genrepo/internal/keys"
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
func (s *Table[T]) bindInsert(row *T, buf []any) (insertRow[T], []any, error) {
	if row == nil {
		return insertRow[T]{}, buf, ErrNilRow
	}
	if v := s.t.Version(); v != nil && v.VersionOf(row) == 0 {
		v.SetVersion(row, 1)
	}
	start := len(buf)
	ir := insertRow[T]{row: row}
	for i, f := range s.t.Fields() {
		if f == s.t.Auto() && f.IsZero(row) {
			ir.mask |= 1 << i
			continue
		}
		arg, err := f.Bind(s.f, row)
		if err != nil {
			return insertRow[T]{}, buf[:start], err
		}
		if f.LeftToDefault(row, arg) {
			ir.mask |= 1 << i
			continue
		}
		buf = append(buf, arg)
	}
	ir.args = buf[start:len(buf):len(buf)]
	return ir, buf, nil
}

// split returns the names of the written columns and the fields read back.
func (s *Table[T]) split(mask uint64) (cols []string, ret []*mapped.Field[T]) {
	for i, f := range s.t.Fields() {
		if mask&(1<<i) != 0 {
			ret = append(ret, f)
		} else {
			cols = append(cols, f.Name())
		}
	}
	return cols, ret
}

// Insert inserts row on ex, filling in from RETURNING what the database
// made (see repo.Repo.Insert). Its errors are the operation "insert"'s.
func (s *Table[T]) Insert(ctx context.Context, ex dialect.Executor, row *T) error {
	ir, args, err := s.bindInsert(row, make([]any, 0, len(s.t.Fields())))
	if err != nil {
		return s.Errorf("insert", err)
	}
	if err := s.insertChunk(ctx, ex, []insertRow[T]{ir}, args, nil, nil); err != nil {
		return s.Errorf("insert", err)
	}
	return nil
}

// InsertMany inserts rows on ex as PrepareInsert groups them, in one
// transaction (a savepoint inside ex's) when that takes more than one
// statement, taking back what the statements filled in when it rolls
// back (see repo.Repo.InsertMany). Its errors are the operation
// "insert"'s.
func (s *Table[T]) InsertMany(ctx context.Context, ex dialect.Executor, rows []*T) error {
	p, err := s.PrepareInsert(ex.Dialect(), rows)
	if err != nil {
		return err
	}
	if err := p.KeyFilled(ctx, ex); err != nil {
		return err
	}
	if p.chunks <= 1 {
		if err := dialect.SendBatch(ctx, ex, p.Statements); err != nil {
			return s.Errorf("insert", noteStored(ex, err))
		}
		return nil
	}
	err = dialect.InTx(ctx, ex, func(tx dialect.Executor) error {
		return dialect.SendBatch(ctx, tx, p.Statements)
	})
	if err != nil {
		// Nothing was stored: take back the keys and defaults that earlier
		// statements had filled in, so the rows can be inserted again.
		p.Undo()
		return s.Errorf("insert", err)
	}
	return nil
}

// PreparedInsert is an insert of rows bound but not sent: the statements
// that write them, to run in order (dialect.SendBatch), which fill in the
// rows' generated keys and defaults from RETURNING.
type PreparedInsert struct {
	// Statements are the INSERTs, grouped as InsertMany groups them, each
	// followed by what keeps a key generator past keys written
	// explicitly, where the dialect needs it.
	Statements []dialect.Statement
	chunks     int
	undo       func()
	table, key string // the generated key, where some row leaves it to the database
}

// KeyFilled returns an error, having sent nothing but the question, when
// the rows leave their generated key to a database that would not fill it
// in (see dialect.RowIDInserter): a sender of Statements asks it first, on
// the executor it sends them on.
func (p *PreparedInsert) KeyFilled(ctx context.Context, ex dialect.Executor) error {
	if err := keyFilled(ctx, ex, p.table, p.key); err != nil {
		return errs.Errorf("repo: insert %s: %w", p.table, err)
	}
	return nil
}

// Undo takes back the keys and defaults the statements filled in, for
// rows whose insert was rolled back, so that they can be inserted again.
func (p *PreparedInsert) Undo() {
	if p.undo != nil {
		p.undo()
	}
}

// PrepareInsert binds rows for insertion, checking every one, and returns
// the statements that insert them, rendered for d, without sending them,
// for a caller that sends several writes together (the unit of work's
// flush). It is InsertMany without the sending and without the
// transaction. Its errors are the operation "insert"'s.
func (s *Table[T]) PrepareInsert(d dialect.Dialect, rows []*T) (*PreparedInsert, error) {
	bound := make([]insertRow[T], len(rows))
	// One buffer holds every row's arguments, in order, so that each
	// chunk's arguments are a slice of it; its capacity is enough for
	// every column of every row, so it never moves.
	buf := make([]any, 0, len(rows)*len(s.t.Fields()))
	for i, row := range rows {
		ir, b, err := s.bindInsert(row, buf)
		if err != nil {
			return nil, s.Errorf("insert", errs.Errorf("row %d: %w", i, err))
		}
		bound[i], buf = ir, b
	}
	p := &PreparedInsert{undo: func() {
		for _, ir := range bound {
			_, ret := s.split(ir.mask)
			for _, f := range ret {
				f.Clear(ir.row)
			}
		}
	}}
	var leaves uint64
	for _, ir := range bound {
		leaves |= ir.mask
	}
	p.table, p.key = s.t.TableName(), s.leftKey(leaves)
	off := 0
	for _, c := range s.chunk(bound) {
		n := 0
		for _, ir := range c {
			n += len(ir.args)
		}
		stmts, err := s.insertStmts(d, p.Statements, c, buf[off:off+n:off+n])
		if err != nil {
			return nil, s.Errorf("insert", err)
		}
		p.Statements, off = stmts, off+n
		p.chunks++
	}
	return p, nil
}

// chunk groups consecutive rows that write the same columns, each group
// under the parameter limit.
func (s *Table[T]) chunk(rows []insertRow[T]) [][]insertRow[T] {
	var out [][]insertRow[T]
	for len(rows) > 0 {
		per := maxRowsPerInsert
		if n := len(rows[0].args); n > 0 {
			per = min(per, s.f.MaxParams/n)
		}
		if len(rows[0].args) == 0 || s.keyLeftToDatabase(rows[0].mask) {
			// A row that writes no column is INSERT … DEFAULT VALUES,
			// which inserts one row only; rows whose key the database
			// makes other than by a sequence (a UUID default, say)
			// cannot be matched to the rows RETURNING reads back.
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

// keyLeftToDatabase reports whether rows of mask leave a key column other
// than the generated one (mapped.Auto) to its database default.
func (s *Table[T]) keyLeftToDatabase(mask uint64) bool {
	for i, f := range s.t.Fields() {
		if mask&(1<<i) != 0 && f.Info().PrimaryKey && f != s.t.Auto() {
			return true
		}
	}
	return false
}

// insertPlan is the text of an INSERT of one shape and the fields it reads
// back, built once per shape. How the rows RETURNING reads back are matched
// to the rows written, when there are several, never rests on the order
// the database returns them in, which neither PostgreSQL nor SQLite
// promises:
//
//   - generated keys (byKey false): the rows go in in the order given
//     (query.Insert.Ordered), so the keys the database generates in
//     sequence rise in that order; the returned rows are sorted by key;
//   - keys given (byKey true): the key is read back too, and each
//     returned row goes to the written row with its key.
//
// A single row whose only value to read back is its generated key has a
// second text, rowid, without RETURNING, for an executor that tells the
// rowid of the row it inserted (dialect.RowIDInserter): where the key is
// the rowid, Exec and the rowid give the same answer at less cost.
type insertPlan[T any] struct {
	sql   string
	ret   []*mapped.Field[T]
	byKey bool
	rowid string
}

// plan returns the INSERT of rows sharing mask (the shape key), binding
// args, rendered for d; with conflict set it is an upsert overwriting the
// update columns.
func (s *Table[T]) plan(d dialect.Dialect, key shape, args []any, conflict, update []string) (*insertPlan[T], error) {
	if p, ok := s.cache.plans.Load(key); ok {
		return p.(*insertPlan[T]), nil
	}
	cols, ret := s.split(key.mask)
	stmt := &query.Insert{Into: s.t, Columns: cols, Values: args, OnConflict: conflict, Update: update}
	p := &insertPlan[T]{}
	auto := s.t.Auto()
	switch {
	case len(conflict) > 0:
		// Upserts read the key and the version back too: on conflict they
		// are the stored row's, which an upsert does not change.
		ret = s.withKey(ret)
		if v := s.t.Version(); v != nil && !slices.Contains(ret, v) {
			ret = append(ret, v)
		}
	case key.n < 2 || len(ret) == 0:
	case auto != nil && key.mask&(1<<auto.Info().Pos) != 0:
		stmt.Ordered = true
	default:
		ret, p.byKey = s.withKey(ret), true
	}
	if key.n == 1 && len(conflict) == 0 && len(ret) == 1 && ret[0] == auto {
		sql, _, err := query.Render(d, stmt)
		if err != nil {
			return nil, err
		}
		p.rowid = sql
	}
	stmt.Returning = fieldNames(ret)
	sql, _, err := query.Render(d, stmt)
	if err != nil {
		return nil, err
	}
	p.sql, p.ret = sql, ret
	s.cache.plans.Store(key, p)
	return p, nil
}

// insertPlanFor returns the plan of the INSERT of rows that share a mask,
// binding args, rendered for d; with conflict set it is an upsert
// overwriting the update columns.
func (s *Table[T]) insertPlanFor(d dialect.Dialect, rows []insertRow[T], args []any, conflict, update []string) (*insertPlan[T], error) {
	op := byte('i')
	if len(conflict) > 0 {
		op = 'u'
	}
	key := shape{op: op, mask: rows[0].mask, n: len(rows)}
	if len(conflict) > 0 {
		key.extra = conflictKey(conflict, update)
	}
	return s.plan(d, key, args, conflict, update)
}

// conflictKey spells an upsert's conflict target and updated columns for
// its shape key as SQL lists of quoted identifiers, which no two lists of
// names spell alike (a column named "a,b", and the columns a and b).
func conflictKey(conflict, update []string) string {
	b := quotedList(nil, conflict)
	b = append(b, '|')
	return string(quotedList(b, update))
}

func quotedList(b []byte, names []string) []byte {
	for i, c := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = dialect.QuoteIdent(b, c)
	}
	return b
}

// syncStmt returns the statement that moves the key generator past keys
// written explicitly (the generated key's bit is clear in mask), and false
// when none is needed: a later insert must not be handed a key already
// taken.
func (s *Table[T]) syncStmt(mask uint64) (dialect.Statement, bool) {
	auto := s.t.Auto()
	if auto == nil || s.f.SyncIdentity == nil || mask&(1<<auto.Info().Pos) != 0 {
		return dialect.Statement{}, false
	}
	sql, args := s.f.SyncIdentity(mapped.QuotedName(s.t), auto.Name())
	return dialect.Statement{SQL: sql, Args: args}, true
}

// insertChunk runs the INSERT of rows that share a mask on ex, binding
// args, and reads back what it returns.
func (s *Table[T]) insertChunk(ctx context.Context, ex dialect.Executor, rows []insertRow[T], args []any, conflict, update []string) error {
	p, err := s.insertPlanFor(ex.Dialect(), rows, args, conflict, update)
	if err != nil {
		return err
	}
	if done, err := s.insertRowID(ctx, ex, rows[0].row, p, args); done || err != nil {
		return err
	}
	if err := keyFilled(ctx, ex, s.t.TableName(), s.leftKey(rows[0].mask)); err != nil {
		return err
	}
	if len(p.ret) == 0 {
		if _, err := ex.Exec(ctx, p.sql, args...); err != nil {
			return err
		}
	} else {
		res, err := ex.Query(ctx, p.sql, args...)
		if err != nil {
			return err
		}
		scanErr := s.scanReturned(res, rows, p)
		closeErr := res.Close()
		var rb *readBackError
		switch {
		case errors.As(scanErr, &rb):
			// pgx's Close reports the same error again.
			return noteStored(ex, scanErr)
		case closeErr != nil:
			return closeErr // the statement failed: its error, not the scan's
		case scanErr != nil:
			return scanErr
		}
	}
	if st, ok := s.syncStmt(rows[0].mask); ok {
		_, err := ex.Exec(ctx, st.SQL, st.Args...)
		return err
	}
	return nil
}

// insertRowID inserts row, the only row of a plan whose only value to
// read back is the generated key, with Exec and the rowid of the row made,
// where ex tells it and the key is the table's rowid; it reports false,
// having run nothing, where not.
func (s *Table[T]) insertRowID(ctx context.Context, ex dialect.Executor, row *T, p *insertPlan[T], args []any) (bool, error) {
	ri, ok := ex.(dialect.RowIDInserter)
	if p.rowid == "" || !ok {
		return false, nil
	}
	auto := s.t.Auto()
	id, done, err := ri.InsertRowID(ctx, s.t.TableName(), auto.Name(), p.rowid, args...)
	if err != nil || !done {
		return done, err
	}
	if !auto.SetInt(row, id) {
		return true, noteStored(ex, &readBackError{fmt.Errorf("key %d does not fit %s", id, auto.Name())})
	}
	return true, nil
}

// leftKey returns the name of the generated key when rows of mask leave
// it to the database, and "" otherwise.
func (s *Table[T]) leftKey(mask uint64) string {
	if auto := s.t.Auto(); auto != nil && mask&(1<<auto.Info().Pos) != 0 {
		return auto.Name()
	}
	return ""
}

// keyFilled returns an error, having sent nothing but the question, when
// key of table, left to the database, is one it would not fill in
// (dialect.RowIDInserter's KeyFilled): SQLite stores a NULL in a key
// declared BIGINT PRIMARY KEY. An empty key asks nothing.
func keyFilled(ctx context.Context, ex dialect.Executor, table, key string) error {
	ri, ok := ex.(dialect.RowIDInserter)
	if key == "" || !ok {
		return nil
	}
	return ri.KeyFilled(ctx, table, key)
}

// insertStmts appends to stmts the INSERT of rows that share a mask,
// binding args, the rows' arguments side by side, and the statement that
// moves the key generator past keys written explicitly, where needed.
func (s *Table[T]) insertStmts(d dialect.Dialect, stmts []dialect.Statement, rows []insertRow[T], args []any) ([]dialect.Statement, error) {
	p, err := s.insertPlanFor(d, rows, args, nil, nil)
	if err != nil {
		return stmts, err
	}
	st := dialect.Statement{SQL: p.sql, Args: args}
	if len(p.ret) > 0 {
		st.Rows = func(res dialect.Rows) error { return s.scanReturned(res, rows, p) }
	}
	stmts = append(stmts, st)
	if sync, ok := s.syncStmt(rows[0].mask); ok {
		stmts = append(stmts, sync)
	}
	return stmts, nil
}

// readBackError is the failure to read what an INSERT returned, after the
// database stored its rows.
type readBackError struct{ err error }

func (e *readBackError) Error() string { return "read back returned columns: " + e.err.Error() }
func (e *readBackError) Unwrap() error { return e.err }

// noteStored adds to a readBackError, when ex is no transaction, that the
// rows may be stored: only a transaction would take them back. Other
// errors are returned as they are.
func noteStored(ex dialect.Executor, err error) error {
	var rb *readBackError
	if _, inTx := ex.(dialect.Tx); inTx || !errors.As(err, &rb) {
		return err
	}
	return errs.Errorf("%w (the insert ran outside a transaction: its rows may be stored)", err)
}

// scanReturned reads the columns an INSERT returned into its rows: the
// only row directly, several as p says (see insertPlan). The caller closes
// res.
func (s *Table[T]) scanReturned(res dialect.Rows, rows []insertRow[T], p *insertPlan[T]) error {
	dest := make([]any, len(p.ret))
	if len(rows) == 1 {
		n := 0
		for res.Next() {
			if n++; n > 1 {
				return fmt.Errorf("insert returned more rows than it wrote")
			}
			s.dests(dest, p.ret, rows[0].row)
			if err := res.Scan(dest...); err != nil {
				return &readBackError{err}
			}
		}
		if err := res.Err(); err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("insert returned %d rows for 1 written", n)
		}
		return nil
	}
	got := make([]T, 0, len(rows))
	for res.Next() {
		if len(got) == len(rows) {
			return fmt.Errorf("insert returned more rows than it wrote")
		}
		got = append(got, *new(T))
		s.dests(dest, p.ret, &got[len(got)-1])
		if err := res.Scan(dest...); err != nil {
			return &readBackError{err}
		}
	}
	if err := res.Err(); err != nil {
		return err
	}
	if len(got) != len(rows) {
		return fmt.Errorf("insert returned %d rows for %d written", len(got), len(rows))
	}
	order, err := s.matchReturned(got, rows, p.byKey)
	if err != nil {
		return &readBackError{err}
	}
	for i, ir := range rows {
		for _, f := range p.ret {
			f.Copy(ir.row, &got[order[i]])
		}
	}
	return nil
}

// dests fills dest with the scan destinations of fields in row.
func (s *Table[T]) dests(dest []any, fields []*mapped.Field[T], row *T) {
	for j, f := range fields {
		dest[j] = f.Dest(s.f, row)
	}
}

// matchReturned returns, for each written row, the index of the returned
// row that is its: by key when the keys were written (byKey), and
// otherwise by generated key, the rows having gone in in order.
func (s *Table[T]) matchReturned(got []T, rows []insertRow[T], byKey bool) ([]int, error) {
	order := make([]int, len(rows))
	if !byKey {
		auto := s.t.Auto()
		keys := make([]int64, len(got))
		for i := range got {
			k, ok := auto.IntOf(&got[i])
			if !ok {
				return nil, fmt.Errorf("insert returned a key %v beyond int64", auto.Value(&got[i]))
			}
			keys[i], order[i] = k, i
		}
		slices.SortFunc(order, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })
		for i := 1; i < len(order); i++ {
			if keys[order[i]] == keys[order[i-1]] {
				return nil, fmt.Errorf("insert returned the key %d twice", keys[order[i]])
			}
		}
		return order, nil
	}
	at := make(map[any]int, len(got))
	for i := range got {
		k, err := s.keyIdentity(&got[i])
		if err != nil {
			return nil, err
		}
		at[k] = i
	}
	for i, ir := range rows {
		k, err := s.keyIdentity(ir.row)
		if err != nil {
			return nil, err
		}
		j, ok := at[k]
		if !ok {
			return nil, fmt.Errorf("insert returned no row with the key of row %d (%s)", i, rowKey(s.t.PrimaryKey(), ir.row))
		}
		delete(at, k)
		order[i] = j
	}
	return order, nil
}

// keyIdentity returns the identity of row's key, equal for equal keys.
func (s *Table[T]) keyIdentity(row *T) (any, error) {
	args, err := s.keyArgs(row)
	if err != nil {
		return nil, err
	}
	return keys.Identity(args), nil
}

func (s *Table[T]) withKey(ret []*mapped.Field[T]) []*mapped.Field[T] {
	for _, k := range s.t.PrimaryKey() {
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

// Upsert inserts row on ex, or updates the stored row that has its values
// in the conflict target, the primary key unless target names columns
// (see repo.Repo.Upsert). Its errors are the operation "upsert"'s.
func (s *Table[T]) Upsert(ctx context.Context, ex dialect.Executor, row *T, target []mapped.AnyColumn[T]) error {
	ir, args, err := s.bindInsert(row, make([]any, 0, len(s.t.Fields())))
	if err != nil {
		return s.Errorf("upsert", err)
	}
	var conflict []string
	if len(target) == 0 {
		conflict = fieldNames(s.t.PrimaryKey())
	}
	for _, c := range target {
		conflict = append(conflict, c.Field().Name())
	}
	cols, _ := s.split(ir.mask)
	var update []string
	for _, c := range cols {
		if info := s.t.Field(c).Info(); !slices.Contains(conflict, c) && !info.PrimaryKey && !info.Version {
			update = append(update, c)
		}
	}
	if len(update) == 0 {
		// Nothing to overwrite: a no-op update still returns the stored
		// row's key, where DO NOTHING would return no row.
		update = conflict[:1]
	}
	if err := s.insertChunk(ctx, ex, []insertRow[T]{ir}, args, conflict, update); err != nil {
		return s.Errorf("upsert", err)
	}
	return nil
}
