package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	msqlite "modernc.org/sqlite"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
)

// Memory is the path that opens an in-memory database, private to the DB
// that opens it and shared by the connections of its pool.
const Memory = ":memory:"

// DefaultBusyTimeout is how long a connection waits for another's lock
// before it reports SQLITE_BUSY, unless Config says otherwise.
const DefaultBusyTimeout = 10 * time.Second

// Config is what OpenConfig opens. The zero value of each setting other
// than Path means its default.
type Config struct {
	// Path is the database file, created if needed, or Memory; a file
	// name, not a URI.
	Path string
	// BusyTimeout is how long a statement or a BEGIN waits for the lock
	// another connection holds (of this pool or of another process)
	// before it fails with SQLITE_BUSY, reported as
	// dialect.ErrRetryable. Zero means DefaultBusyTimeout; a negative
	// value means no wait at all. It is kept to the millisecond, a
	// positive value being at least one.
	BusyTimeout time.Duration
	// OneConnection opens a pool of a single connection, kept open until
	// Close. With Path Memory, that connection holds a plain private
	// in-memory database, which runs statements faster than the memdb
	// database a pool's connections share (see the package
	// documentation). Statements then run one at a time: a statement on
	// the DB, a Begin or a Conn waits while a transaction, a pinned Conn
	// or rows not yet closed hold the connection, up to the busy timeout,
	// and then fails with dialect.ErrRetryable. So a statement run on the
	// DB, not on the transaction, inside a transaction or inside a loop
	// over rows of the same goroutine fails after the busy timeout: it
	// would otherwise wait for itself forever.
	OneConnection bool
}

// busyTimeoutMS is c's busy timeout in milliseconds, as the pragma takes
// it.
func (c Config) busyTimeoutMS() int64 {
	switch {
	case c.BusyTimeout == 0:
		return DefaultBusyTimeout.Milliseconds()
	case c.BusyTimeout < 0:
		return 0
	}
	return max(1, (c.BusyTimeout + time.Millisecond - 1).Milliseconds())
}

// DB is a pool of SQLite connections seen as a dialect.DB. It is safe for
// concurrent use.
type DB struct {
	executor
	db *sql.DB
}

// oneConnection opens the pool of a DB opened with Config.OneConnection:
// one connection, never closed for being idle or old, on a connector that
// refuses a second when the connection is the database; and the gate that
// hands it out.
func oneConnection(inner driver.Connector, memory bool, wait time.Duration) (*sql.DB, *gate) {
	var c driver.Connector = connector{inner: inner}
	if memory {
		c = oneMemory{connector: connector{inner: inner}, opened: new(atomic.Bool)}
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	return db, newGate(wait)
}

var (
	_ dialect.DB   = (*DB)(nil)
	_ dialect.Conn = (*Conn)(nil)
	_ dialect.Tx   = (*Tx)(nil)
)

// Open opens the SQLite database file at path, creating it if needed, or a
// private in-memory database when path is Memory. Every pooled connection
// has foreign keys enforced and a busy timeout of ten seconds
// (DefaultBusyTimeout; OpenConfig sets another); a file database uses
// write-ahead logging; write transactions start with BEGIN IMMEDIATE, so
// concurrent writers wait for each other, up to the busy timeout, instead
// of failing with SQLITE_BUSY halfway through. An in-memory database lives
// until the DB is closed and is shared by the pool's connections, unlike
// SQLite's plain ":memory:".
//
// path is a file name, not a URI: '?', '#' and '%' are part of the name.
// Open reports an error when path is empty or holds a NUL byte, or when
// the file cannot be opened or created.
func Open(ctx context.Context, path string, opts ...dialect.Option) (*DB, error) {
	return OpenConfig(ctx, Config{Path: path}, opts...)
}

// OpenConfig opens the database cfg names, as Open does, with cfg's
// settings.
func OpenConfig(ctx context.Context, cfg Config, opts ...dialect.Option) (*DB, error) {
	path := cfg.Path
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	if strings.IndexByte(path, 0) >= 0 {
		return nil, errors.New("sqlite: database path contains a NUL byte")
	}
	pragmas := "_pragma=foreign_keys(1)&_pragma=case_sensitive_like(1)&_pragma=busy_timeout(" +
		strconv.FormatInt(cfg.busyTimeoutMS(), 10) + ")&_txlock=immediate"
	var dsn string
	switch {
	case path == Memory && cfg.OneConnection:
		// One connection's own database: plain ":memory:".
		dsn = "file::memory:?" + pragmas
	case path == Memory:
		// The memdb VFS shares one in-memory database among the connections
		// that open the same name, with proper locking.
		dsn = "file:/genrepo-" + rand.Text() + "?vfs=memdb&" + pragmas
	default:
		dsn = "file:" + escapePath(path) + "?" + pragmas + "&_pragma=journal_mode(WAL)"
	}
	inner, err := msqlite.NewConnector(dsn)
	if err != nil {
		return nil, errs.Errorf("sqlite: open %s: %w", path, err)
	}
	var db *sql.DB
	var g *gate
	if cfg.OneConnection {
		db, g = oneConnection(inner, path == Memory, time.Duration(cfg.busyTimeoutMS())*time.Millisecond)
	} else {
		db = sql.OpenDB(connector{inner: inner})
	}
	if path == Memory {
		// Keep a connection alive so the database outlives idle periods.
		db.SetConnMaxIdleTime(0)
		db.SetConnMaxLifetime(0)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, errs.Errorf("sqlite: open %s: %w", path, err)
	}
	s := dialect.Apply(opts)
	e := executor{q: db, s: &s, stmts: newStmtCache(db), keys: newRowidKeys(), gate: g}
	return &DB{executor: e, db: db}, nil
}

// escapePath escapes the characters that end or alter the path part of a
// SQLite URI filename.
func escapePath(p string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return r.Replace(p)
}

// SQL returns the underlying database/sql pool, for what genrepo does not
// wrap (pool sizes, say). Statements run on it bypass the hook and are not
// translated into *dialect.ConstraintError. With Config.OneConnection they
// also bypass the DB's turn-taking: one run while a transaction, a pinned
// Conn or rows of the DB hold the connection waits for it for as long as
// its context lasts, forever with a context that never ends. The driver
// connection its Conn.Raw hands over is genrepo's, which keeps statements
// prepared across transactions; its Unwrap() any method returns
// modernc.org/sqlite's connection.
func (db *DB) SQL() *sql.DB { return db.db }

// Ping checks that the database can be reached.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.gate.enter(ctx); err != nil {
		return errs.Errorf("sqlite: ping: %w", err)
	}
	defer db.gate.leave()
	return db.db.PingContext(ctx)
}

// Close closes the statements genrepo keeps prepared and every idle
// connection, and returns at once; new work on the DB fails. A connection
// in use is closed when it is released: a transaction still open goes on,
// and its Commit still commits; a pinned Conn and unclosed rows keep
// theirs until Release and Close. An in-memory database is gone once its
// last connection is closed.
func (db *DB) Close() error {
	db.stmts.close()
	return db.db.Close()
}

// Begin starts a transaction: BEGIN IMMEDIATE for a read-write one, a
// deferred BEGIN with PRAGMA query_only for a read-only one.
func (db *DB) Begin(ctx context.Context, opts dialect.TxOptions) (dialect.Tx, error) {
	start := db.s.Start()
	h, err := holdGate(ctx, db.gate, "begin")
	if err != nil {
		observe(ctx, db.s, dialect.OpBegin, "", 0, start, err)
		return nil, err
	}
	t, err := db.begin(ctx, opts)
	if err != nil {
		h.release()
		return nil, err
	}
	if h != nil {
		t.onEnd(h.release)
	}
	return t, nil
}

func (db *DB) begin(ctx context.Context, opts dialect.TxOptions) (*Tx, error) {
	if opts.ReadOnly {
		c, err := db.db.Conn(ctx)
		if err != nil {
			return nil, errs.Errorf("sqlite: begin: %w", err)
		}
		return beginReadOnly(ctx, c, db.s, db.keys, true)
	}
	if db.gate != nil {
		return db.beginPinned(ctx)
	}
	return beginTx(ctx, db.db, db.s, db.keys, db.s.Start())
}

// txBeginner is what *sql.DB and *sql.Conn share to begin a transaction.
type txBeginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// beginTx begins a read-write transaction on b, reporting it to the hook
// as begun at start.
func beginTx(ctx context.Context, b txBeginner, s *dialect.Settings, keys *rowidKeys, start time.Time) (*Tx, error) {
	tx, err := b.BeginTx(ctx, nil)
	observe(ctx, s, dialect.OpBegin, "", 0, start, err)
	if err != nil {
		return nil, errs.Errorf("sqlite: begin: %w", translateError(err))
	}
	return newTx(ctx, tx, s, keys), nil
}

// beginPinned begins a read-write transaction on the one connection of a
// DB opened with Config.OneConnection, pinned as a *sql.Conn that is
// closed when the transaction ends. When the context given to Begin ends,
// database/sql rolls the transaction back on another goroutine, and its
// Commit may return before that rollback has given the connection back;
// closing the *sql.Conn waits for it, so the gate's token goes back only
// once database/sql has the connection, and the next holder does not wait
// for it in database/sql.
func (db *DB) beginPinned(ctx context.Context) (*Tx, error) {
	start := db.s.Start()
	c, err := db.db.Conn(ctx)
	if err != nil {
		observe(ctx, db.s, dialect.OpBegin, "", 0, start, err)
		return nil, errs.Errorf("sqlite: begin: %w", err)
	}
	t, err := beginTx(ctx, c, db.s, db.keys, start)
	if err != nil {
		_ = c.Close()
		return nil, err
	}
	t.done = func() { _ = c.Close() }
	return t, nil
}

// Conn pins one connection of the pool.
func (db *DB) Conn(ctx context.Context) (dialect.Conn, error) {
	h, err := holdGate(ctx, db.gate, "connection")
	if err != nil {
		return nil, err
	}
	c, err := db.db.Conn(ctx)
	if err != nil {
		h.release()
		return nil, errs.Errorf("sqlite: connection: %w", err)
	}
	return &Conn{executor: executor{q: c, s: db.s, keys: db.keys}, conn: c, hold: h}, nil
}

// Conn is one connection pinned from the pool, for work that must see one
// connection (temporary tables, PRAGMAs). It is not safe for concurrent
// use; Release returns it to the pool. Statements run on it directly are
// not kept prepared; those of its transactions are.
type Conn struct {
	executor
	conn *sql.Conn
	hold *hold // the DB's one connection, with Config.OneConnection
}

// Begin starts a transaction on this connection, as DB.Begin does.
func (c *Conn) Begin(ctx context.Context, opts dialect.TxOptions) (dialect.Tx, error) {
	if opts.ReadOnly {
		t, err := beginReadOnly(ctx, c.conn, c.s, c.keys, false)
		if err != nil {
			return nil, err
		}
		return t, nil
	}
	t, err := beginTx(ctx, c.conn, c.s, c.keys, c.s.Start())
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Release returns the connection to the pool.
func (c *Conn) Release() {
	_ = c.conn.Close()
	c.hold.release()
}

func beginReadOnly(ctx context.Context, c *sql.Conn, s *dialect.Settings, keys *rowidKeys, release bool) (*Tx, error) {
	fail := func(err error) (*Tx, error) {
		_, _ = c.ExecContext(context.WithoutCancel(ctx), "PRAGMA query_only = 0")
		if release {
			_ = c.Close()
		}
		return nil, errs.Errorf("sqlite: begin read-only: %w", err)
	}
	start := s.Start()
	if _, err := c.ExecContext(ctx, "PRAGMA query_only = 1"); err != nil {
		return fail(err)
	}
	tx, err := c.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	observe(ctx, s, dialect.OpBegin, "", 0, start, err)
	if err != nil {
		return fail(err)
	}
	t := newTx(ctx, tx, s, keys)
	t.done = func() {
		_, _ = c.ExecContext(context.Background(), "PRAGMA query_only = 0")
		if release {
			_ = c.Close()
		}
	}
	return t, nil
}

// Tx is a transaction or a savepoint inside one. It is not safe for
// concurrent use. After Commit or Rollback, both return dialect.ErrTxDone.
// A failed statement undoes only itself, as SQLite does: the transaction
// goes on and may still commit.
type Tx struct {
	executor
	tx    *sql.Tx
	sp    string         // savepoint name, empty for the transaction itself
	seq   *atomic.Uint64 // numbers the savepoints of one transaction
	ended atomic.Bool    // Commit or Rollback was called
	done  func()         // runs after the transaction ends
	// begun is the context Begin was given: database/sql rolls the
	// transaction back when it ends.
	begun context.Context
}

// Exec runs a statement in the transaction, or refuses with
// dialect.ErrTxDone once it (or the savepoint) has ended.
func (t *Tx) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	if t.ended.Load() {
		return 0, dialect.ErrTxDone
	}
	return t.executor.Exec(ctx, query, args...)
}

// Query runs a statement that returns rows in the transaction, or refuses
// with dialect.ErrTxDone once it (or the savepoint) has ended.
func (t *Tx) Query(ctx context.Context, query string, args ...any) (dialect.Rows, error) {
	if t.ended.Load() {
		return nil, dialect.ErrTxDone
	}
	return t.executor.Query(ctx, query, args...)
}

// Savepoint starts a nested transaction with SAVEPOINT; its Rollback undoes
// only the work done since, and its Commit releases it.
func (t *Tx) Savepoint(ctx context.Context) (dialect.Tx, error) {
	if t.ended.Load() {
		return nil, dialect.ErrTxDone
	}
	if t.seq == nil {
		t.seq = new(atomic.Uint64)
	}
	name := "genrepo_sp_" + strconv.FormatUint(t.seq.Add(1), 10)
	start := t.s.Start()
	_, err := t.tx.ExecContext(ctx, "SAVEPOINT "+name)
	observe(ctx, t.s, dialect.OpBegin, "", 0, start, err)
	if err != nil {
		return nil, errs.Errorf("sqlite: savepoint: %w", translateError(err))
	}
	return &Tx{executor: t.executor, tx: t.tx, sp: name, seq: t.seq}, nil
}

// Commit commits the transaction, or releases the savepoint. With ctx
// already done it rolls the transaction back instead and returns ctx's
// error, as it does when the context given to Begin ended first (then
// database/sql has rolled it back): nothing is committed.
func (t *Tx) Commit(ctx context.Context) error {
	if t.ended.Swap(true) {
		return dialect.ErrTxDone
	}
	start := t.s.Start()
	var err error
	switch {
	case t.sp != "":
		_, err = t.tx.ExecContext(ctx, "RELEASE "+t.sp)
	case ctx.Err() != nil:
		_ = t.tx.Rollback()
		t.finish()
		err = ctx.Err()
	default:
		err = t.tx.Commit()
		t.finish()
	}
	observe(ctx, t.s, dialect.OpCommit, "", 0, start, err)
	if errors.Is(err, sql.ErrTxDone) {
		if cause := t.cancelled(); cause != nil {
			return errs.Errorf("sqlite: commit: rolled back, its context ended: %w", cause)
		}
		return dialect.ErrTxDone
	}
	if err != nil {
		return errs.Errorf("sqlite: commit: %w", translateError(err))
	}
	return nil
}

// Rollback rolls the transaction back, or back to the savepoint, which
// then ends; the enclosing transaction goes on.
//
// Rolling back a transaction that SQLite already rolled back by itself
// (after an interrupted or failed write, say) succeeds: nothing of it is
// left to undo.
//
// Rolling back a finished transaction returns dialect.ErrTxDone at once,
// sending nothing and reporting nothing to the hook, so that a deferred
// Rollback after Commit is harmless and quiet.
func (t *Tx) Rollback(ctx context.Context) error {
	if t.ended.Swap(true) {
		return dialect.ErrTxDone
	}
	start := t.s.Start()
	var err error
	if t.sp != "" {
		_, err = t.tx.ExecContext(ctx, "ROLLBACK TO "+t.sp+"; RELEASE "+t.sp)
	} else {
		err = t.tx.Rollback()
		t.finish()
	}
	observe(ctx, t.s, dialect.OpRollback, "", 0, start, err)
	if errors.Is(err, sql.ErrTxDone) {
		return dialect.ErrTxDone
	}
	if t.sp == "" && endedBySQLite(err) {
		return nil
	}
	if err != nil {
		return errs.Errorf("sqlite: rollback: %w", err)
	}
	return nil
}

func newTx(ctx context.Context, tx *sql.Tx, s *dialect.Settings, keys *rowidKeys) *Tx {
	e := executor{q: tx, s: s, txStmts: newTxStmts(tx), keys: keys, ranDDL: new(atomic.Bool)}
	return &Tx{executor: e, tx: tx, begun: ctx}
}

// cancelled returns the error of the context the transaction began with
// when it ended, which made database/sql roll the transaction back.
func (t *Tx) cancelled() error {
	if t.begun == nil {
		return nil
	}
	return t.begun.Err()
}

// onEnd has f run after the transaction ends, after what runs then
// already.
func (t *Tx) onEnd(f func()) {
	if prev := t.done; prev != nil {
		t.done = func() { prev(); f() }
		return
	}
	t.done = f
}

func (t *Tx) finish() {
	t.txStmts.end()
	if t.ranDDL.Load() {
		// Committed or undone, the schema it changed is not the one the
		// answers given meanwhile saw.
		t.keys.forget()
	}
	if t.done != nil {
		t.done()
		t.done = nil
	}
}

// querier is what *sql.DB, *sql.Conn and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// executor runs statements on a querier, reporting them to the hook and
// translating errors. On a pool, stmts keeps its statements prepared; in a
// transaction, txStmts does; on a pool of one connection, gate hands it
// out (single.go). keys is the database's knowledge of rowid
// keys (rowid.go), shared by the DB, its connections and transactions;
// ranDDL, in a transaction, records that a statement that may change the
// schema ran in it.
type executor struct {
	q       querier
	s       *dialect.Settings
	stmts   *stmtCache
	txStmts *txStmts
	keys    *rowidKeys
	ranDDL  *atomic.Bool
	gate    *gate
}

// Dialect returns the SQLite dialect.
func (e *executor) Dialect() dialect.Dialect { return Dialect() }

// Exec runs a statement and reports the rows it affected.
func (e *executor) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	defer e.schemaChange(query)()
	start := e.s.Start()
	res, err := e.exec(ctx, query, args)
	observe(ctx, e.s, dialect.OpExec, query, len(args), start, err)
	if err != nil {
		return 0, translateError(err)
	}
	return res.RowsAffected()
}

// exec runs a statement through the statements kept prepared, if any.
func (e *executor) exec(ctx context.Context, query string, args []any) (sql.Result, error) {
	if err := e.gate.enter(ctx); err != nil {
		return nil, err
	}
	defer e.gate.leave()
	switch {
	case e.txStmts != nil:
		return e.txStmts.exec(ctx, query, args)
	case e.stmts != nil:
		return e.stmts.exec(ctx, query, args)
	}
	return e.q.ExecContext(ctx, query, args...)
}

// Query runs a statement that returns rows. The hook hears of the query
// when its rows are done (read to the end, or closed), with the error that
// ended them, which is where a failing INSERT … RETURNING may report it.
func (e *executor) Query(ctx context.Context, query string, args ...any) (dialect.Rows, error) {
	defer e.schemaChange(query)()
	start := e.s.Start()
	if err := e.gate.enter(ctx); err != nil {
		observe(ctx, e.s, dialect.OpQuery, query, len(args), start, err)
		return nil, err
	}
	var r *sql.Rows
	var ts *txStmt
	var err error
	switch {
	case e.txStmts != nil:
		r, ts, err = e.txStmts.query(ctx, query, args)
	case e.stmts != nil:
		r, err = e.stmts.query(ctx, query, args)
	default:
		r, err = e.q.QueryContext(ctx, query, args...)
	}
	if err != nil {
		e.gate.leave()
		observe(ctx, e.s, dialect.OpQuery, query, len(args), start, err)
		return nil, translateError(err)
	}
	return &rows{r: r, txStmts: e.txStmts, ts: ts, ev: e.s.Pend(ctx, query, len(args), start), gate: e.gate}, nil
}

// observe reports a step to the hook, if there is one, with err as
// hookError makes it safe to print.
func observe(ctx context.Context, s *dialect.Settings, op dialect.Op, sql string, args int, start time.Time, err error) {
	if s.Hook != nil {
		s.Observe(ctx, op, sql, args, start, hookError(err))
	}
}

// rows are the rows of a query; ts, when set, is the transaction's
// statement they hold until closed; ev is what the hook is told once they
// are done; gate, when set, is the DB's one connection, which they hold
// until they are done.
type rows struct {
	r       *sql.Rows
	txStmts *txStmts
	ts      *txStmt
	ev      *dialect.Pending
	gate    *gate
}

func (r *rows) Next() bool {
	if r.r.Next() {
		return true
	}
	// database/sql has closed the rows, or, when their context ended, is
	// closing them on another goroutine: Close waits for that, so the
	// connection is back in the pool before the token is.
	if r.gate != nil {
		_ = r.r.Close()
	}
	r.leave()
	r.report(r.r.Err())
	return false
}

// leave gives the DB's one connection back, once.
func (r *rows) leave() {
	if r.gate != nil {
		r.gate.leave()
		r.gate = nil
	}
}

func (r *rows) Scan(dest ...any) error { return r.r.Scan(dest...) }
func (r *rows) Err() error             { return translateError(r.r.Err()) }
func (r *rows) Close() error {
	err := r.r.Close()
	r.leave()
	if r.ts != nil {
		r.txStmts.done(r.ts)
		r.ts = nil
	}
	if err == nil {
		err = r.r.Err()
	}
	r.report(err)
	return translateError(err)
}

// report tells the hook, once, how the query ended.
func (r *rows) report(err error) {
	if r.ev != nil {
		r.ev.Done(hookError(err))
	}
}
