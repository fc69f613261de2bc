package golden

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
)

// Recorder keeps the statements, with their arguments, and the
// transaction steps run through the database that Record returned, for
// comparing with a golden file: what a repository, a relation or a unit of
// work sends, whichever way it builds it. It is safe for concurrent use,
// but a scenario that runs statements concurrently records them in no
// fixed order.
type Recorder struct {
	mu     sync.Mutex
	blocks []*block
}

// block is what one statement, batch or transaction step recorded.
type block struct {
	what   string // "query", "batch of 2 statements", "begin", …
	stmts  string // the statements' text and arguments
	failed bool
}

// Record returns db with every statement and transaction step run through
// it, or through the transactions and savepoints begun on it, recorded by
// the returned Recorder once it ran, then handed on to db. It runs
// nothing itself and changes nothing: the wrapper sends a batch in one
// round trip exactly when db does (it is a dialect.Batcher when db is).
// Statements run on a connection pinned with Conn are not recorded.
func Record(db dialect.DB) (dialect.DB, *Recorder) {
	r := &Recorder{}
	d := recDB{DB: db, r: r}
	if b, ok := db.(dialect.Batcher); ok {
		return batchDB{d, b}, r
	}
	if ri, ok := db.(dialect.RowIDInserter); ok {
		return rowidDB{d, ri}, r
	}
	return d, r
}

// Reset forgets what was recorded, as at the start of a case.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.blocks = nil
}

// Text returns what was recorded since Reset, one block per statement,
// batch or transaction step, with a blank line between: a comment line
// naming the operation ("query", "exec", "batch of 3 statements",
// "begin", "savepoint", "commit", "release savepoint", "rollback",
// "rollback to savepoint"), with ", failed" when it returned an error;
// then each statement's text on a line, and its arguments, if any, on a
// line of their own (a batch's statements follow each other, each but the
// last ending with a semicolon).
func (r *Recorder) Text() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for i, bl := range r.blocks {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("-- ")
		b.WriteString(bl.what)
		if bl.failed {
			b.WriteString(", failed")
		}
		b.WriteByte('\n')
		b.WriteString(bl.stmts)
	}
	return b.String()
}

// Check compares what was recorded since Reset with the golden file of
// case name on the named dialect (see the package function Check), then
// resets the recorder for the next case.
func (r *Recorder) Check(t testing.TB, name, dialectName string) {
	t.Helper()
	Check(t, name, dialectName, r.Text())
	r.Reset()
}

// add records one block: what ran, whether it failed, and its statements.
func (r *Recorder) add(what string, err error, stmts ...dialect.Statement) *block {
	var b strings.Builder
	for i, s := range stmts {
		b.WriteString(s.SQL)
		if i < len(stmts)-1 {
			b.WriteByte(';')
		}
		b.WriteByte('\n')
		for j, a := range s.Args {
			if j == 0 {
				b.WriteString("-- args: ")
			} else {
				b.WriteString(", ")
			}
			b.WriteString(Arg(a))
		}
		if len(s.Args) > 0 {
			b.WriteByte('\n')
		}
	}
	bl := &block{what: what, stmts: b.String(), failed: err != nil}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.blocks = append(r.blocks, bl)
	return bl
}

// fail marks bl failed: its statement's error came with its rows.
func (r *Recorder) fail(bl *block) {
	r.mu.Lock()
	defer r.mu.Unlock()
	bl.failed = true
}

// Arg formats a bound argument with its Go type, stably.
func Arg(v any) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = Arg(e)
		}
		return "[]any{" + strings.Join(parts, ", ") + "}"
	case time.Time:
		return fmt.Sprintf("%#v", x)
	}
	// A pointer is shown by what it points to: its address changes from
	// run to run.
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && !rv.IsNil() {
		return fmt.Sprintf("%T(&%s)", v, Arg(rv.Elem().Interface()))
	}
	return fmt.Sprintf("%T(%#v)", v, v)
}

// recorded is an executor whose statements r records.
type recorded struct {
	ex dialect.Executor
	r  *Recorder
}

func (e recorded) Dialect() dialect.Dialect { return e.ex.Dialect() }

func (e recorded) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	n, err := e.ex.Exec(ctx, sql, args...)
	e.r.add("exec", err, dialect.Statement{SQL: sql, Args: args})
	return n, err
}

func (e recorded) Query(ctx context.Context, sql string, args ...any) (dialect.Rows, error) {
	rows, err := e.ex.Query(ctx, sql, args...)
	bl := e.r.add("query", err, dialect.Statement{SQL: sql, Args: args})
	if err != nil {
		return rows, err
	}
	return &recRows{Rows: rows, r: e.r, bl: bl}, nil
}

// recRows are the rows of a recorded query, which mark it failed when its
// error comes with them (as an INSERT … RETURNING's does on PostgreSQL).
type recRows struct {
	dialect.Rows
	r  *Recorder
	bl *block
}

func (rs *recRows) Err() error   { return rs.check(rs.Rows.Err()) }
func (rs *recRows) Close() error { return rs.check(rs.Rows.Close()) }

func (rs *recRows) check(err error) error {
	if err != nil {
		rs.r.fail(rs.bl)
	}
	return err
}

// sendBatch sends stmts through b, recorded as one batch.
func (e recorded) sendBatch(ctx context.Context, b dialect.Batcher, stmts []dialect.Statement) error {
	err := b.SendBatch(ctx, stmts)
	e.r.add(fmt.Sprintf("batch of %d statements", len(stmts)), err, stmts...)
	return err
}

// recDB is a recorded pool.
type recDB struct {
	dialect.DB
	r *Recorder
}

func (d recDB) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	return recorded{d.DB, d.r}.Exec(ctx, sql, args...)
}

func (d recDB) Query(ctx context.Context, sql string, args ...any) (dialect.Rows, error) {
	return recorded{d.DB, d.r}.Query(ctx, sql, args...)
}

func (d recDB) Begin(ctx context.Context, opts dialect.TxOptions) (dialect.Tx, error) {
	tx, err := d.DB.Begin(ctx, opts)
	d.r.add("begin", err)
	if err != nil {
		return nil, err
	}
	return wrapTx(&recTx{Tx: tx, r: d.r}), nil
}

// batchDB is a recorded pool that sends batches in one round trip.
type batchDB struct {
	recDB
	b dialect.Batcher
}

func (d batchDB) SendBatch(ctx context.Context, stmts []dialect.Statement) error {
	return recorded{d.DB, d.r}.sendBatch(ctx, d.b, stmts)
}

// recTx is a recorded transaction, or savepoint when sp is set.
type recTx struct {
	dialect.Tx
	r     *Recorder
	sp    bool
	ended bool
}

// wrapTx returns t as a dialect.Batcher when its transaction is one.
func wrapTx(t *recTx) dialect.Tx {
	if b, ok := t.Tx.(dialect.Batcher); ok {
		return batchTx{t, b}
	}
	if ri, ok := t.Tx.(dialect.RowIDInserter); ok {
		return rowidTx{t, ri}
	}
	return t
}

func (t *recTx) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	return recorded{t.Tx, t.r}.Exec(ctx, sql, args...)
}

func (t *recTx) Query(ctx context.Context, sql string, args ...any) (dialect.Rows, error) {
	return recorded{t.Tx, t.r}.Query(ctx, sql, args...)
}

func (t *recTx) Savepoint(ctx context.Context) (dialect.Tx, error) {
	sp, err := t.Tx.Savepoint(ctx)
	t.r.add("savepoint", err)
	if err != nil {
		return nil, err
	}
	return wrapTx(&recTx{Tx: sp, r: t.r, sp: true}), nil
}

func (t *recTx) Commit(ctx context.Context) error {
	err := t.Tx.Commit(ctx)
	t.end("commit", "release savepoint", err)
	return err
}

func (t *recTx) Rollback(ctx context.Context) error {
	err := t.Tx.Rollback(ctx)
	t.end("rollback", "rollback to savepoint", err)
	return err
}

// end records the end of the transaction, or of the savepoint, unless it
// had ended already: a Rollback deferred after a Commit sends nothing.
func (t *recTx) end(what, savepoint string, err error) {
	if t.ended && errors.Is(err, dialect.ErrTxDone) {
		return
	}
	t.ended = true
	if t.sp {
		what = savepoint
	}
	t.r.add(what, err)
}

// batchTx is a recorded transaction that sends batches in one round trip.
type batchTx struct {
	*recTx
	b dialect.Batcher
}

func (t batchTx) SendBatch(ctx context.Context, stmts []dialect.Statement) error {
	return recorded{t.Tx, t.r}.sendBatch(ctx, t.b, stmts)
}

// insertRowID runs an INSERT through ri, recorded as an exec when it ran.
func (e recorded) insertRowID(ctx context.Context, ri dialect.RowIDInserter, table, column, sql string, args []any) (int64, bool, error) {
	id, ok, err := ri.InsertRowID(ctx, table, column, sql, args...)
	if ok {
		e.r.add("exec", err, dialect.Statement{SQL: sql, Args: args})
	}
	return id, ok, err
}

// rowidDB is a recorded pool that tells the rowid of an inserted row.
type rowidDB struct {
	recDB
	ri dialect.RowIDInserter
}

func (d rowidDB) InsertRowID(ctx context.Context, table, column, sql string, args ...any) (int64, bool, error) {
	return recorded{d.DB, d.r}.insertRowID(ctx, d.ri, table, column, sql, args)
}

// rowidTx is a recorded transaction that tells the rowid of an inserted
// row.
type rowidTx struct {
	*recTx
	ri dialect.RowIDInserter
}

func (t rowidTx) InsertRowID(ctx context.Context, table, column, sql string, args ...any) (int64, bool, error) {
	return recorded{t.Tx, t.r}.insertRowID(ctx, t.ri, table, column, sql, args)
}

// KeyFilled asks the pool, recording nothing: it sends no statement of
// the test's.
func (d rowidDB) KeyFilled(ctx context.Context, table, column string) error {
	return d.ri.KeyFilled(ctx, table, column)
}

// KeyFilled asks the transaction, recording nothing.
func (t rowidTx) KeyFilled(ctx context.Context, table, column string) error {
	return t.ri.KeyFilled(ctx, table, column)
}
