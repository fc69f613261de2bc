package repo

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
	"github.com/genrepo/genrepo/model"
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
// RETURNING, as are columns left NULL that have a default (mapped.Default,
// DefaultSQL, DefaultNow) and a zero time.Time declared DefaultNow.
// A version column left zero is written as 1. Constraint violations are
// *dialect.ConstraintError; on any error nothing is written, but one: a
// column read back that its field cannot hold (a database default of
// another type than the field's, a mistake of the mapping) is found only
// after the database stored the row, which stays stored unless the insert
// runs in a transaction (dialect.InTx, a unit of work); the error says it
// may be stored.
func (r *Repo[T]) Insert(ctx context.Context, row *T) error {
	if err := r.usable("insert"); err != nil {
		return err
	}
	ir, args, err := r.bindInsert(row, make([]any, 0, len(r.t.Fields())))
	if err != nil {
		return r.errorf("insert", err)
	}
	if err := r.insertChunk(ctx, []insertRow[T]{ir}, args, nil, nil); err != nil {
		return r.errorf("insert", err)
	}
	return nil
}

// InsertMany inserts rows with multi-row INSERT … RETURNING statements,
// one per run of consecutive rows that write the same columns (a row with
// a NULL defaulted column leaves that column out), each under the
// dialect's parameter limit and at most 1000 rows, filling generated keys
// and defaults as Insert does. Generated keys follow the order of rows,
// and what a statement returns is matched to the rows by key, never by
// the order the database returns it in. Every row is checked before
// anything is sent, and when more than one statement is needed they run
// in one transaction (a savepoint inside a caller's transaction): either
// every row is inserted or none is, but for a column read back that its
// field cannot hold, as Insert says. Rows whose key is left to a database
// default other than mapped.Auto's sequence (a UUID default) go one
// statement each, since nothing else can tell which returned row is whose.
func (r *Repo[T]) InsertMany(ctx context.Context, rows []*T) error {
	if err := r.usable("insert"); err != nil {
		return err
	}
	p, err := r.PrepareInsert(rows)
	if err != nil {
		return err
	}
	if p.chunks <= 1 {
		if err := dialect.SendBatch(ctx, r.ex, p.Statements); err != nil {
			return r.errorf("insert", r.noteStored(err))
		}
		return nil
	}
	err = dialect.InTx(ctx, r.ex, func(tx dialect.Executor) error {
		return dialect.SendBatch(ctx, tx, p.Statements)
	})
	if err != nil {
		// Nothing was stored: take back the keys and defaults that earlier
		// statements had filled in, so the rows can be inserted again.
		p.Undo()
		return r.errorf("insert", err)
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
}

// Undo takes back the keys and defaults the statements filled in, for
// rows whose insert was rolled back, so that they can be inserted again.
func (p *PreparedInsert) Undo() {
	if p.undo != nil {
		p.undo()
	}
}

// PrepareInsert binds rows for insertion, checking every one, and returns
// the statements that insert them without sending them, for a caller that
// sends several writes together (the unit of work's flush). It is
// InsertMany without the sending and without the transaction.
func (r *Repo[T]) PrepareInsert(rows []*T) (*PreparedInsert, error) {
	if err := r.usable("insert"); err != nil {
		return nil, err
	}
	bound := make([]insertRow[T], len(rows))
	// One buffer holds every row's arguments, in order, so that each
	// chunk's arguments are a slice of it; its capacity is enough for
	// every column of every row, so it never moves.
	buf := make([]any, 0, len(rows)*len(r.t.Fields()))
	for i, row := range rows {
		ir, b, err := r.bindInsert(row, buf)
		if err != nil {
			return nil, r.errorf("insert", errs.Errorf("row %d: %w", i, err))
		}
		bound[i], buf = ir, b
	}
	p := &PreparedInsert{undo: func() {
		for _, ir := range bound {
			_, ret := r.split(ir.mask)
			for _, f := range ret {
				f.Clear(ir.row)
			}
		}
	}}
	off := 0
	for _, c := range r.chunk(bound) {
		n := 0
		for _, ir := range c {
			n += len(ir.args)
		}
		stmts, err := r.insertStmts(p.Statements, c, buf[off:off+n:off+n])
		if err != nil {
			return nil, r.errorf("insert", err)
		}
		p.Statements, off = stmts, off+n
		p.chunks++
	}
	return p, nil
}

// chunk groups consecutive rows that write the same columns, each group
// under the parameter limit.
func (r *Repo[T]) chunk(rows []insertRow[T]) [][]insertRow[T] {
	var out [][]insertRow[T]
	for len(rows) > 0 {
		per := maxRowsPerInsert
		if n := len(rows[0].args); n > 0 {
			per = min(per, r.f.MaxParams/n)
		}
		if len(rows[0].args) == 0 || r.keyLeftToDatabase(rows[0].mask) {
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
func (r *Repo[T]) keyLeftToDatabase(mask uint64) bool {
	for i, f := range r.t.Fields() {
		if mask&(1<<i) != 0 && f.Info().PrimaryKey && f != r.t.Auto() {
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
type insertPlan[T any] struct {
	sql   string
	ret   []*mapped.Field[T]
	byKey bool
}

// plan returns the INSERT of rows sharing mask (the shape key), binding
// args; with conflict set it is an upsert overwriting the update columns.
func (r *Repo[T]) plan(ex dialect.Executor, key shape, args []any, conflict, update []string) (*insertPlan[T], error) {
	if p, ok := r.cache.plans.Load(key); ok {
		return p.(*insertPlan[T]), nil
	}
	cols, ret := r.split(key.mask)
	stmt := &query.Insert{Into: r.t, Columns: cols, Values: args, OnConflict: conflict, Update: update}
	p := &insertPlan[T]{}
	auto := r.t.Auto()
	switch {
	case len(conflict) > 0:
		// Upserts read the key and the version back too: on conflict they
		// are the stored row's, which an upsert does not change.
		ret = r.withKey(ret)
		if v := r.t.Version(); v != nil && !slices.Contains(ret, v) {
			ret = append(ret, v)
		}
	case key.n < 2 || len(ret) == 0:
	case auto != nil && key.mask&(1<<auto.Info().Pos) != 0:
		stmt.Ordered = true
	default:
		ret, p.byKey = r.withKey(ret), true
	}
	stmt.Returning = fieldNames(ret)
	sql, _, err := query.Render(ex.Dialect(), stmt)
	if err != nil {
		return nil, err
	}
	p.sql, p.ret = sql, ret
	r.cache.plans.Store(key, p)
	return p, nil
}

// insertPlanFor returns the plan of the INSERT of rows that share a mask,
// binding args; with conflict set it is an upsert overwriting the update
// columns.
func (r *Repo[T]) insertPlanFor(rows []insertRow[T], args []any, conflict, update []string) (*insertPlan[T], error) {
	op := byte('i')
	if len(conflict) > 0 {
		op = 'u'
	}
	key := shape{op: op, mask: rows[0].mask, n: len(rows)}
	if len(conflict) > 0 {
		key.extra = conflictKey(conflict, update)
	}
	return r.plan(r.ex, key, args, conflict, update)
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
func (r *Repo[T]) syncStmt(mask uint64) (dialect.Statement, bool) {
	auto := r.t.Auto()
	if auto == nil || r.f.SyncIdentity == nil || mask&(1<<auto.Info().Pos) != 0 {
		return dialect.Statement{}, false
	}
	sql, args := r.f.SyncIdentity(mapped.QuotedName(r.t), auto.Name())
	return dialect.Statement{SQL: sql, Args: args}, true
}

// insertChunk runs the INSERT of rows that share a mask on the
// repository's executor, binding args, and reads back what it returns.
func (r *Repo[T]) insertChunk(ctx context.Context, rows []insertRow[T], args []any, conflict, update []string) error {
	p, err := r.insertPlanFor(rows, args, conflict, update)
	if err != nil {
		return err
	}
	if len(p.ret) == 0 {
		if _, err := r.ex.Exec(ctx, p.sql, args...); err != nil {
			return err
		}
	} else {
		res, err := r.ex.Query(ctx, p.sql, args...)
		if err != nil {
			return err
		}
		scanErr := r.scanReturned(res, rows, p)
		closeErr := res.Close()
		var rb *readBackError
		switch {
		case errors.As(scanErr, &rb):
			// pgx's Close reports the same error again.
			return r.noteStored(scanErr)
		case closeErr != nil:
			return closeErr // the statement failed: its error, not the scan's
		case scanErr != nil:
			return scanErr
		}
	}
	if s, ok := r.syncStmt(rows[0].mask); ok {
		_, err := r.ex.Exec(ctx, s.SQL, s.Args...)
		return err
	}
	return nil
}

// insertStmts appends to stmts the INSERT of rows that share a mask,
// binding args, the rows' arguments side by side, and the statement that
// moves the key generator past keys written explicitly, where needed.
func (r *Repo[T]) insertStmts(stmts []dialect.Statement, rows []insertRow[T], args []any) ([]dialect.Statement, error) {
	p, err := r.insertPlanFor(rows, args, nil, nil)
	if err != nil {
		return stmts, err
	}
	s := dialect.Statement{SQL: p.sql, Args: args}
	if len(p.ret) > 0 {
		s.Rows = func(res dialect.Rows) error { return r.scanReturned(res, rows, p) }
	}
	stmts = append(stmts, s)
	if sync, ok := r.syncStmt(rows[0].mask); ok {
		stmts = append(stmts, sync)
	}
	return stmts, nil
}

// readBackError is the failure to read what an INSERT returned, after the
// database stored its rows.
type readBackError struct{ err error }

func (e *readBackError) Error() string { return "read back returned columns: " + e.err.Error() }
func (e *readBackError) Unwrap() error { return e.err }

// noteStored adds to a readBackError, when the repository's executor is no
// transaction, that the rows may be stored: only a transaction would take
// them back. Other errors are returned as they are.
func (r *Repo[T]) noteStored(err error) error {
	var rb *readBackError
	if _, inTx := r.ex.(dialect.Tx); inTx || !errors.As(err, &rb) {
		return err
	}
	return errs.Errorf("%w (the insert ran outside a transaction: its rows may be stored)", err)
}

// scanReturned reads the columns an INSERT returned into its rows: the
// only row directly, several as p says (see insertPlan). The caller closes
// res.
func (r *Repo[T]) scanReturned(res dialect.Rows, rows []insertRow[T], p *insertPlan[T]) error {
	dest := make([]any, len(p.ret))
	if len(rows) == 1 {
		n := 0
		for res.Next() {
			if n++; n > 1 {
				return fmt.Errorf("insert returned more rows than it wrote")
			}
			r.dests(dest, p.ret, rows[0].row)
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
		r.dests(dest, p.ret, &got[len(got)-1])
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
	order, err := r.matchReturned(got, rows, p.byKey)
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
func (r *Repo[T]) dests(dest []any, fields []*mapped.Field[T], row *T) {
	for j, f := range fields {
		dest[j] = f.Dest(r.f, row)
	}
}

// matchReturned returns, for each written row, the index of the returned
// row that is its: by key when the keys were written (byKey), and
// otherwise by generated key, the rows having gone in in order.
func (r *Repo[T]) matchReturned(got []T, rows []insertRow[T], byKey bool) ([]int, error) {
	order := make([]int, len(rows))
	if !byKey {
		auto := r.t.Auto()
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
		k, err := r.keyIdentity(&got[i])
		if err != nil {
			return nil, err
		}
		at[k] = i
	}
	for i, ir := range rows {
		k, err := r.keyIdentity(ir.row)
		if err != nil {
			return nil, err
		}
		j, ok := at[k]
		if !ok {
			return nil, fmt.Errorf("insert returned no row with the key of row %d (%s)", i, rowKey(r.t.PrimaryKey(), ir.row))
		}
		delete(at, k)
		order[i] = j
	}
	return order, nil
}

// keyIdentity returns the identity of row's key, equal for equal keys.
func (r *Repo[T]) keyIdentity(row *T) (any, error) {
	args, err := r.keyArgs(row)
	if err != nil {
		return nil, err
	}
	return keys.Identity(args), nil
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
	if err := r.usable("upsert"); err != nil {
		return err
	}
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
	if err := r.insertChunk(ctx, []insertRow[T]{ir}, args, conflict, update); err != nil {
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
// column but the key, or only cols when given (in any order; a column named
// twice is written once). Zero values are written like any other value,
// never skipped. It returns ErrNoKey when row's key is
// zero, and ErrNotFound when no stored row has its key.
//
// When the table has a version column (mapped.Version), Update matches the
// row's version too and sets the stored version to one more, whichever
// columns are written; on success it increments the row's field. A stored
// row with another version is ErrStale, and nothing is written. The version
// column itself is never written from the row.
func (r *Repo[T]) Update(ctx context.Context, row *T, cols ...mapped.AnyColumn[T]) error {
	k, err := r.updateOf(row, cols)
	if err != nil {
		return err
	}
	return r.runKeyed(ctx, k)
}

// PrepareUpdate is Update without the sending: it binds row and returns
// the UPDATE statement, for a caller that sends several writes together
// (dialect.SendBatch). When the statement has run, its Done callback
// increments a version column's field, or returns an error when it matched
// no row; pass that error to Explain to learn whether the row is gone
// (ErrNotFound) or was changed meanwhile (ErrStale).
func (r *Repo[T]) PrepareUpdate(row *T, cols ...mapped.AnyColumn[T]) (dialect.Statement, error) {
	k, err := r.updateOf(row, cols)
	if err != nil {
		return dialect.Statement{}, err
	}
	return k.statement(), nil
}

// keyed is an UPDATE or DELETE of one row by its key (and version).
type keyed[T any] struct {
	r        *Repo[T]
	op       string
	sql      string
	args     []any
	keys     []any // the key's arguments, a part of args
	row      *T
	version  int64 // the version matched, on a versioned table
	versions bool  // whether a match bumps the row's version
}

// done is what follows the statement's run: n rows matched.
func (k *keyed[T]) done(n int64) error {
	if n == 0 {
		return k.r.noMatch(k.op, k.keys, k.row)
	}
	if k.versions {
		k.r.t.Version().SetVersion(k.row, k.version+1)
	}
	return nil
}

func (k *keyed[T]) statement() dialect.Statement {
	return dialect.Statement{SQL: k.sql, Args: k.args, Done: k.done}
}

// runKeyed runs k on the repository's executor, its failure to match
// explained.
func (r *Repo[T]) runKeyed(ctx context.Context, k keyed[T]) error {
	n, err := r.ex.Exec(ctx, k.sql, k.args...)
	switch {
	case err != nil:
		return r.errorf(k.op, err)
	case n == 0:
		return Explain(ctx, r.ex, r.noMatch(k.op, k.keys, k.row))
	case k.versions:
		r.t.Version().SetVersion(k.row, k.version+1)
	}
	return nil
}

// updateOf binds the UPDATE of row's cols.
func (r *Repo[T]) updateOf(row *T, cols []mapped.AnyColumn[T]) (keyed[T], error) {
	if err := r.usable("update"); err != nil {
		return keyed[T]{}, err
	}
	if row == nil {
		return keyed[T]{}, r.errorf("update", ErrNilRow)
	}
	set, mask, setErr := r.updateSet(cols)
	ver := r.t.Version()
	// The arguments: the columns set, then the key, then the version.
	nk := len(r.t.PrimaryKey())
	args := make([]any, len(set)+nk, len(set)+nk+1)
	keys := args[len(set):]
	if err := r.fillKeyArgs(keys, row); err != nil {
		return keyed[T]{}, r.errorf("update", err)
	}
	if setErr != nil {
		return keyed[T]{}, r.errorf("update", setErr)
	}
	for i, f := range set {
		a, err := f.Bind(r.f, row)
		if err != nil {
			return keyed[T]{}, r.errorf("update", err)
		}
		args[i] = a
	}
	k := keyed[T]{r: r, op: "update", keys: keys, row: row, versions: ver != nil}
	if ver != nil {
		// Refused before anything is sent: the stored version would
		// overflow the field, and the row could no longer be read.
		if _, err := ver.NextVersion(row); err != nil {
			return keyed[T]{}, r.errorf("update", err)
		}
		k.version = ver.VersionOf(row)
		args = append(args, k.version)
	}
	k.args = args
	sql, err := r.cache.text(shape{op: 'U', mask: mask}, true, func() (string, error) {
		b := query.NewBuilder(r.ex.Dialect())
		b.WriteString("UPDATE ")
		b.Table(r.t)
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
		return keyed[T]{}, r.errorf("update", err)
	}
	k.sql = sql
	return k, nil
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
		// The mask names exactly the columns set, as for chosen columns:
		// it keys the statement's text, which must never be shared with
		// an UPDATE of other columns (of the version column alone, say).
		var mask uint64
		for _, f := range set {
			mask |= 1 << f.Info().Pos
		}
		return set, mask, nil
	}
	var mask uint64
	for _, c := range cols {
		f := c.Field()
		if f.Info().PrimaryKey {
			return nil, 0, fmt.Errorf("cannot update key column %s; delete and insert instead", f.Name())
		}
		if f.Info().Version {
			continue // bumped by the statement itself
		}
		mask |= 1 << f.Info().Pos
	}
	// The columns are set in the table's order, each once, whatever order
	// cols name them in: the mask, which keys the statement's text, then
	// says everything the text depends on.
	set := make([]*mapped.Field[T], 0, len(cols))
	for i, f := range r.t.Fields() {
		if mask&(1<<i) != 0 {
			set = append(set, f)
		}
	}
	return set, mask, nil
}

// noMatch is the error of a statement on the row with row's key (keys,
// bound) that matched no row: ErrNotFound, or, on a table with a version
// column, an error that Explain resolves into ErrStale or ErrNotFound.
func (r *Repo[T]) noMatch(op string, keys []any, row *T) error {
	what := rowKey(r.t.PrimaryKey(), row)
	ver := r.t.Version()
	if ver == nil {
		return r.errorf(op, errs.Errorf("%w: no row with %s", ErrNotFound, what))
	}
	version := ver.VersionOf(row)
	return &unmatched{msg: r.errorf(op, fmt.Errorf("no row with %s at version %d", what, version)).Error(),
		explain: func(ctx context.Context, ex dialect.Executor) error {
			found, err := r.With(ex).keyExists(ctx, keys)
			switch {
			case err != nil:
				return &explainError{err}
			case found:
				return r.errorf(op, errs.Errorf("%w: %s at version %d", ErrStale, what, version))
			}
			return r.errorf(op, errs.Errorf("%w: no row with %s", ErrNotFound, what))
		}}
}

// unmatched is the error of a prepared UPDATE or DELETE of a versioned row
// that matched no row, before Explain tells why.
type unmatched struct {
	msg     string
	explain func(ctx context.Context, ex dialect.Executor) error
}

func (e *unmatched) Error() string { return e.msg }

// Explain returns err with the failure of a prepared UPDATE or DELETE
// (PrepareUpdate, PrepareDelete) of a row of a versioned table that matched
// no row resolved, by a SELECT of its key on ex (the transaction the
// statement ran in): ErrStale when a row with the key is stored with
// another version, ErrNotFound when none is. When that SELECT fails (the
// transaction was aborted by a later statement of the batch, say), err is
// returned joined to its failure, so the errors it carries stay reachable.
// Any other error is returned as it is.
func Explain(ctx context.Context, ex dialect.Executor, err error) error {
	var u *unmatched
	if !errors.As(err, &u) {
		return err
	}
	var failed *explainError
	if why := u.explain(ctx, ex); !errors.As(why, &failed) {
		return why
	}
	return errors.Join(err, failed)
}

// explainError is the failure of the SELECT that Explain runs.
type explainError struct{ err error }

func (e *explainError) Error() string {
	return "repo: cannot tell a stale row from a deleted one: " + e.err.Error()
}
func (e *explainError) Unwrap() error { return e.err }

// keyExists reports whether a stored row has the key keys (bound).
func (r *Repo[T]) keyExists(ctx context.Context, keys []any) (bool, error) {
	sql, err := r.cache.text(shape{op: 'k'}, true, func() (string, error) {
		b := query.NewBuilder(r.ex.Dialect())
		b.WriteString("SELECT 1 FROM ")
		b.Table(r.t)
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
	k, err := r.deleteOf(row)
	if err != nil {
		return err
	}
	if !model.Cascades(r.ex, r.t) {
		return r.runKeyed(ctx, k)
	}
	return dialect.InTx(ctx, r.ex, func(tx dialect.Executor) error {
		rt := r.With(tx)
		if err := model.Cascade(ctx, tx, r.t, []*T{row}); err != nil {
			return r.errorf("delete", err)
		}
		k.r = rt
		return rt.runKeyed(ctx, k)
	})
}

// PrepareDelete is Delete without the sending and without the cascades:
// it returns the DELETE of row by its key (and version), for a caller that
// sends several writes together (dialect.SendBatch) and runs the model's
// cascades (model.Cascade) for the rows first. Its Done callback returns
// an error when it matched no row; Explain tells why.
func (r *Repo[T]) PrepareDelete(row *T) (dialect.Statement, error) {
	k, err := r.deleteOf(row)
	if err != nil {
		return dialect.Statement{}, err
	}
	return k.statement(), nil
}

// deleteOf binds the DELETE of row.
func (r *Repo[T]) deleteOf(row *T) (keyed[T], error) {
	if err := r.usable("delete"); err != nil {
		return keyed[T]{}, err
	}
	if row == nil {
		return keyed[T]{}, r.errorf("delete", ErrNilRow)
	}
	keys, err := r.keyArgs(row)
	if err != nil {
		return keyed[T]{}, r.errorf("delete", err)
	}
	k := keyed[T]{r: r, op: "delete", args: keys, keys: keys, row: row}
	ver := r.t.Version()
	if ver != nil {
		k.version = ver.VersionOf(row)
		k.args = append(keys[:len(keys):len(keys)], k.version)
	}
	k.sql, err = r.cache.text(shape{op: 'd'}, true, func() (string, error) {
		b := query.NewBuilder(r.ex.Dialect())
		b.WriteString("DELETE FROM ")
		b.Table(r.t)
		appendKeyWhere(b, r.t.PrimaryKey(), keys)
		appendVersionWhere(b, ver, k.args)
		return b.SQL(), b.Err()
	})
	if err != nil {
		return keyed[T]{}, r.errorf("delete", err)
	}
	return k, nil
}

// UpdateWhere applies the assignments to every row matching cond and
// returns how many rows it changed. The zero condition is refused with
// ErrNoCondition; query.AllRows[T]() updates every row.
func (r *Repo[T]) UpdateWhere(ctx context.Context, cond query.Cond[T], set ...query.Assign[T]) (int64, error) {
	if err := r.usable("update"); err != nil {
		return 0, err
	}
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
	if err := r.usable("delete"); err != nil {
		return 0, err
	}
	if cond.IsZero() {
		return 0, r.errorf("delete", ErrNoCondition)
	}
	stmt := &query.Delete{From: r.t, Where: []query.Condition{cond}}
	if !model.Cascades(r.ex, r.t) {
		return r.execStmt(ctx, "delete", stmt)
	}
	var n int64
	err := dialect.InTx(ctx, r.ex, func(tx dialect.Executor) error {
		rt := r.With(tx)
		rows, err := rt.Where(cond).All(ctx)
		if err != nil || len(rows) == 0 {
			return err
		}
		if err := model.Cascade(ctx, tx, r.t, rows); err != nil {
			return r.errorf("delete", err)
		}
		// The rows cascaded from go by their keys: cond may match other
		// rows now, as when it is a condition through a relation whose
		// rows the cascades just deleted.
		if _, err := rt.deleteRows(ctx, rows); err != nil {
			return err
		}
		// Every row matched is gone, some by a cascade from another (a
		// tree deleted whole), which the DELETE's own count leaves out on
		// SQLite: the rows matched are the rows deleted.
		n = int64(len(rows))
		return nil
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
		where := query.In[T](pk[0].Bound(), keys)
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
			where = append(where, query.Compare[T](f.Bound(), query.Eq, k))
		}
		m, err := r.execStmt(ctx, "delete", &query.Delete{From: r.t, Where: where})
		if err != nil {
			return 0, err
		}
		n += m
	}
	return n, nil
}

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
