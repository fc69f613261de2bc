package sqlite

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/genrepo/genrepo/dialect"
)

// A single-row INSERT whose only generated value is a key that aliases the
// table's rowid (a column declared INTEGER PRIMARY KEY, as genrepo's DDL
// declares a generated key) needs no RETURNING: Exec and LastInsertId
// give the key, without the rows, the scan and their allocations. Whether
// a column is such an alias is asked of the database once per table and
// column, and kept until a statement that may change the schema (anything
// but SELECT, INSERT, UPDATE, DELETE, WITH, REPLACE or VALUES) runs
// through the DB, its connections or its transactions: such a statement
// forgets every answer when it starts and when it ends, and a transaction
// that ran one forgets them again when it ends, since a rollback undoes
// it. A schema changed by another process, or through the *sql.DB that
// DB.SQL returns, is not seen until then.

// rowidCheck reads whether column ?2 of table ?1 is an alias of its rowid:
// the table's only primary-key column, declared INTEGER, and with no
// index behind the primary key (a table WITHOUT ROWID, or a primary key
// that is not the rowid, INTEGER PRIMARY KEY DESC, has one); then whether
// the column has a DEFAULT, and whether it exists at all.
const rowidCheck = `SELECT (SELECT count(*) FROM pragma_table_info(?1) WHERE pk > 0) = 1` +
	` AND EXISTS (SELECT 1 FROM pragma_table_info(?1) WHERE pk = 1 AND name = ?2 COLLATE NOCASE AND upper(type) = 'INTEGER')` +
	` AND NOT EXISTS (SELECT 1 FROM pragma_index_list(?1) WHERE origin = 'pk'),` +
	` EXISTS (SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2 COLLATE NOCASE AND dflt_value IS NOT NULL),` +
	` EXISTS (SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2 COLLATE NOCASE)`

// rowidKeys remembers, for one database, which columns alias their
// table's rowid. It is safe for concurrent use.
type rowidKeys struct {
	gen atomic.Uint64 // moves on whenever the schema may have changed
	mu  sync.Mutex
	m   map[rowidColumn]rowidAnswer
}

type rowidColumn struct{ table, column string }

// rowidAnswer is an answer and the generation it was asked in; it holds
// only while the generation has not moved on.
type rowidAnswer struct {
	gen uint64
	rowidColumnInfo
}

// rowidColumnInfo is what rowidCheck reads of a column.
type rowidColumnInfo struct {
	alias     bool // it aliases the rowid
	defaulted bool // it has a DEFAULT
	exists    bool // the table has it
}

func newRowidKeys() *rowidKeys { return &rowidKeys{m: map[rowidColumn]rowidAnswer{}} }

// forget makes every answer given so far stale.
func (k *rowidKeys) forget() { k.gen.Add(1) }

// lookup returns the answer for c, if a fresh one is kept, and the
// generation a new answer would be asked in.
func (k *rowidKeys) lookup(c rowidColumn) (info rowidColumnInfo, ok bool, gen uint64) {
	gen = k.gen.Load()
	k.mu.Lock()
	defer k.mu.Unlock()
	a, ok := k.m[c]
	if !ok || a.gen != gen {
		return rowidColumnInfo{}, false, gen
	}
	return a.rowidColumnInfo, true, gen
}

func (k *rowidKeys) store(c rowidColumn, a rowidAnswer) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[c] = a
}

// columnInfo reports whether column of table aliases the table's rowid,
// whether it has a default and whether it exists, asking the database
// when no fresh answer is kept.
func (e *executor) columnInfo(ctx context.Context, table, column string) (rowidColumnInfo, error) {
	c := rowidColumn{table, column}
	info, ok, gen := e.keys.lookup(c)
	if ok {
		return info, nil
	}
	start := e.s.Start()
	err := e.gate.enter(ctx)
	if err == nil {
		err = e.q.QueryRowContext(ctx, rowidCheck, table, column).Scan(&info.alias, &info.defaulted, &info.exists)
		e.gate.leave()
	}
	observe(ctx, e.s, dialect.OpQuery, rowidCheck, 2, start, err)
	if err != nil {
		return rowidColumnInfo{}, translateError(err)
	}
	e.keys.store(c, rowidAnswer{gen: gen, rowidColumnInfo: info})
	return info, nil
}

// KeyFilled returns nil when column of table aliases the rowid, has a
// default or is not found (the INSERT then fails with the database's own
// error), and otherwise a *dialect.ConstraintError of kind NotNull: an
// INSERT leaving column out would store a NULL key (see
// dialect.RowIDInserter).
func (e *executor) KeyFilled(ctx context.Context, table, column string) error {
	info, err := e.columnInfo(ctx, table, column)
	if err != nil || info.alias || info.defaulted || !info.exists {
		return err
	}
	return &dialect.ConstraintError{Kind: dialect.NotNull, Table: table, Column: column, Err: errNoKeyValue}
}

// errNoKeyValue is what KeyFilled's error says went wrong.
var errNoKeyValue = errors.New("sqlite: the key is left to the database, which gives it no value:" +
	" only an INTEGER PRIMARY KEY (the rowid) or a column with a DEFAULT is filled in;" +
	" give the key a value, or declare it INTEGER PRIMARY KEY; nothing was written")

// KeyFilled answers as the DB's does, or refuses with dialect.ErrTxDone
// once the transaction (or the savepoint) has ended.
func (t *Tx) KeyFilled(ctx context.Context, table, column string) error {
	if t.ended.Load() {
		return dialect.ErrTxDone
	}
	return t.executor.KeyFilled(ctx, table, column)
}

// InsertRowID runs sql, an INSERT of one row into table that leaves
// column to the database, and returns the rowid of the row it made, when
// column aliases the table's rowid; otherwise it runs nothing and reports
// ok false (see dialect.RowIDInserter).
func (e *executor) InsertRowID(ctx context.Context, table, column, query string, args ...any) (id int64, ok bool, err error) {
	if info, err := e.columnInfo(ctx, table, column); err != nil || !info.alias {
		return 0, false, err
	}
	start := e.s.Start()
	res, err := e.exec(ctx, query, args)
	observe(ctx, e.s, dialect.OpExec, query, len(args), start, err)
	if err != nil {
		return 0, true, translateError(err)
	}
	id, err = res.LastInsertId()
	return id, true, err
}

// InsertRowID runs an INSERT in the transaction as the DB's does, or
// refuses with dialect.ErrTxDone once it (or the savepoint) has ended.
func (t *Tx) InsertRowID(ctx context.Context, table, column, query string, args ...any) (int64, bool, error) {
	if t.ended.Load() {
		return 0, true, dialect.ErrTxDone
	}
	return t.executor.InsertRowID(ctx, table, column, query, args...)
}

// schemaChange is called before query runs: when query is not DML, and
// so may change the schema, it forgets the answers of columnInfo, marks
// the transaction it runs in, and returns what forgets them again once
// query has run.
func (e *executor) schemaChange(query string) (after func()) {
	if cacheable(query) {
		return func() {}
	}
	e.keys.forget()
	if e.ranDDL != nil {
		e.ranDDL.Store(true)
	}
	return e.keys.forget
}

var (
	_ dialect.RowIDInserter = (*DB)(nil)
	_ dialect.RowIDInserter = (*Conn)(nil)
	_ dialect.RowIDInserter = (*Tx)(nil)
)
