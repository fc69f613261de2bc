package sqlite

import (
	"container/list"
	"context"
	"database/sql"
	"strings"
	"sync"
)

// modernc.org/sqlite parses a statement again each time it runs unless it
// was prepared; preparing once and reusing the statement on each connection
// makes a short statement several times cheaper. So genrepo keeps the
// statements it runs prepared, by SQL text:
//
//   - on the pool, as *sql.Stmt, which database/sql prepares on each
//     connection the first time it runs there and reuses afterwards;
//   - in a transaction, as statements prepared on the transaction itself
//     and kept until it ends; its connection keeps them afterwards, for
//     the next transaction there (connstmt.go). (Reusing the pool's statements there, through
//     Tx.StmtContext, shares one SQLite statement handle between the pool
//     and the transaction, and under concurrent use left a connection
//     holding the write lock after its transaction ended.)
//
// Only DML is kept (SELECT, INSERT, UPDATE, DELETE, REPLACE, WITH,
// VALUES): DDL and PRAGMAs run once and would only crowd the cache out.
// SQLite prepares a statement again by itself when the schema it was
// prepared against changes, so a kept statement survives a table being
// dropped and created anew.

// stmtCacheSize is how many statements a DB keeps prepared.
const stmtCacheSize = 256

// txStmtLimit is how many statements one transaction keeps in its own form;
// past it, a statement new to the transaction runs unprepared.
const txStmtLimit = 64

// stmtCache keeps a pool's prepared statements by SQL text and closes the
// least recently used beyond its capacity. It is safe for concurrent use.
type stmtCache struct {
	db *sql.DB

	mu     sync.Mutex
	cap    int
	m      map[string]*list.Element // of *cachedStmt
	lru    list.List                // most recently used first
	closed bool
}

// cachedStmt is a statement of the cache. refs counts the callers using it
// right now; an evicted statement is closed when the last of them is done.
// Rows a statement returned keep what they need open by themselves
// (database/sql closes a statement's connections only once its rows are
// closed), so a caller holds a reference only until its call returns.
type cachedStmt struct {
	query   string
	st      *sql.Stmt
	refs    int
	evicted bool
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, cap: stmtCacheSize, m: make(map[string]*list.Element)}
}

// cacheable reports whether query is DML, which is worth keeping prepared.
func cacheable(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n")
	for _, kw := range [...]string{"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "REPLACE", "VALUES"} {
		if len(q) > len(kw) && strings.EqualFold(q[:len(kw)], kw) && !isWordByte(q[len(kw)]) {
			return true
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}

// lookup returns the statement for query with a reference taken, or nil
// when it is not cached.
func (c *stmtCache) lookup(query string) *cachedStmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.m[query]
	if !ok {
		return nil
	}
	cs := el.Value.(*cachedStmt)
	cs.refs++
	c.lru.MoveToFront(el)
	return cs
}

// acquire returns the prepared statement for query with a reference
// taken, preparing it on the pool when it is not cached yet. It returns
// nil when the statement cannot be prepared, or the cache is closed; the
// caller then runs the statement unprepared, which reports the error the
// statement deserves.
func (c *stmtCache) acquire(ctx context.Context, query string) *cachedStmt {
	if cs := c.lookup(query); cs != nil {
		return cs
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	return c.add(query, st)
}

// add caches st, prepared for query, and returns it with a reference
// taken; when another caller cached the same query meanwhile, it closes st
// and returns that one instead.
func (c *stmtCache) add(query string, st *sql.Stmt) *cachedStmt {
	var stale []*sql.Stmt
	c.mu.Lock()
	var cs *cachedStmt
	switch el, ok := c.m[query]; {
	case c.closed:
		stale = append(stale, st)
	case ok:
		stale = append(stale, st)
		cs = el.Value.(*cachedStmt)
		cs.refs++
		c.lru.MoveToFront(el)
	default:
		cs = &cachedStmt{query: query, st: st, refs: 1}
		c.m[query] = c.lru.PushFront(cs)
		for c.lru.Len() > c.cap {
			old := c.lru.Remove(c.lru.Back()).(*cachedStmt)
			delete(c.m, old.query)
			old.evicted = true
			if old.refs == 0 {
				stale = append(stale, old.st)
			}
		}
	}
	c.mu.Unlock()
	for _, s := range stale {
		_ = s.Close()
	}
	return cs
}

// release gives back a reference taken by lookup or acquire, closing the
// statement when it was evicted meanwhile and this was the last use.
func (c *stmtCache) release(cs *cachedStmt) {
	c.mu.Lock()
	cs.refs--
	last := cs.evicted && cs.refs == 0
	c.mu.Unlock()
	if last {
		_ = cs.st.Close()
	}
}

// close closes every cached statement not in use, and the others when
// their users release them; nothing is cached afterwards.
func (c *stmtCache) close() {
	var stale []*sql.Stmt
	c.mu.Lock()
	c.closed = true
	for el := c.lru.Front(); el != nil; el = el.Next() {
		cs := el.Value.(*cachedStmt)
		cs.evicted = true
		if cs.refs == 0 {
			stale = append(stale, cs.st)
		}
	}
	c.lru.Init()
	clear(c.m)
	c.mu.Unlock()
	for _, s := range stale {
		_ = s.Close()
	}
}

// len reports how many statements are cached.
func (c *stmtCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}

// exec runs query on the pool through its prepared statement, or unprepared
// when it is not DML or cannot be prepared.
func (c *stmtCache) exec(ctx context.Context, query string, args []any) (sql.Result, error) {
	if cacheable(query) {
		if cs := c.acquire(ctx, query); cs != nil {
			defer c.release(cs)
			return cs.st.ExecContext(ctx, args...)
		}
	}
	return c.db.ExecContext(ctx, query, args...)
}

// query runs query on the pool as exec does. database/sql runs it on a
// connection that no other open rows hold, so a statement already being
// read can run again while its first rows are open.
func (c *stmtCache) query(ctx context.Context, query string, args []any) (*sql.Rows, error) {
	if cacheable(query) {
		if cs := c.acquire(ctx, query); cs != nil {
			defer c.release(cs)
			return cs.st.QueryContext(ctx, args...)
		}
	}
	return c.db.QueryContext(ctx, query, args...)
}

// txStmts are the prepared statements of one transaction and of its
// savepoints, which share its connection. They are closed by database/sql
// when the transaction ends.
type txStmts struct {
	tx *sql.Tx

	mu    sync.Mutex
	m     map[string]*txStmt
	ended bool // the transaction was committed or rolled back
}

// txStmt is a statement in its transaction's form. open counts its rows
// not yet closed: SQLite steps one statement handle through one result at
// a time, so while they are open the statement runs again unprepared.
type txStmt struct {
	st   *sql.Stmt
	open int
}

func newTxStmts(tx *sql.Tx) *txStmts {
	return &txStmts{tx: tx}
}

// get returns query's statement for the transaction, or nil when query is
// to run unprepared: it is not DML, the transaction keeps too many
// statements already, or rows of the statement are open. With hold set, the
// statement counts as open until done is called.
//
// A statement new to the transaction comes back with fresh set and is not
// kept yet: the caller passes it to settle with the outcome of its first
// run. database/sql reports a failure to make a transaction's statement
// (a canceled context, a table missing when it was prepared) only when
// the statement runs, and keeps reporting it; such a statement must not be
// kept.
func (t *txStmts) get(ctx context.Context, query string, hold bool) (ts *txStmt, fresh bool) {
	if !cacheable(query) {
		return nil, false
	}
	t.mu.Lock()
	if t.ended {
		t.mu.Unlock()
		return nil, false
	}
	ts, ok := t.m[query]
	full := len(t.m) >= txStmtLimit
	if ok {
		defer t.mu.Unlock()
		if ts.open > 0 {
			return nil, false
		}
		if hold {
			ts.open++
		}
		return ts, false
	}
	t.mu.Unlock()
	if full {
		return nil, false
	}
	if ts = t.prepare(ctx, query); ts == nil {
		return nil, false
	}
	if hold {
		ts.open++
	}
	return ts, true
}

// settle keeps a fresh statement that ran without error, and closes one
// that failed.
func (t *txStmts) settle(query string, ts *txStmt, err error) {
	if err != nil {
		_ = ts.st.Close()
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.m[query]; ok || t.ended {
		return // closed with the transaction
	}
	if t.m == nil {
		t.m = make(map[string]*txStmt)
	}
	t.m[query] = ts
}

// prepare makes query's statement for the transaction, prepared on the
// transaction's own connection and never on another one, which could have
// to wait for this transaction's lock.
func (t *txStmts) prepare(ctx context.Context, query string) *txStmt {
	st, err := t.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	return &txStmt{st: st}
}

// end records that the transaction ended: database/sql has closed its
// statements, and what runs now runs unprepared, to fail as it should.
func (t *txStmts) end() {
	t.mu.Lock()
	t.ended = true
	t.mu.Unlock()
}

// errStmtClosed is database/sql's message for a statement used after it
// was closed, as a transaction's statements are when it ends.
const errStmtClosed = "sql: statement is closed"

// closed reports whether err says that the statement was closed.
func closed(err error) bool { return err != nil && err.Error() == errStmtClosed }

// done marks rows of ts closed.
func (t *txStmts) done(ts *txStmt) {
	t.mu.Lock()
	ts.open--
	t.mu.Unlock()
}

// len reports how many statements the transaction keeps.
func (t *txStmts) len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.m)
}

func (t *txStmts) exec(ctx context.Context, query string, args []any) (sql.Result, error) {
	if ts, fresh := t.get(ctx, query, false); ts != nil {
		res, err := ts.st.ExecContext(ctx, args...)
		if fresh {
			t.settle(query, ts, err)
		}
		if !closed(err) {
			return res, err
		}
		// The transaction ended without Commit or Rollback (its context
		// was canceled): run unprepared, which reports why.
	}
	return t.tx.ExecContext(ctx, query, args...)
}

// query runs query in the transaction. When it returns a statement, the
// caller must pass it to done once the rows are closed.
func (t *txStmts) query(ctx context.Context, query string, args []any) (*sql.Rows, *txStmt, error) {
	ts, fresh := t.get(ctx, query, true)
	if ts == nil {
		r, err := t.tx.QueryContext(ctx, query, args...)
		return r, nil, err
	}
	r, err := ts.st.QueryContext(ctx, args...)
	if fresh {
		t.settle(query, ts, err)
	}
	if err != nil {
		t.done(ts)
		if closed(err) { // as in exec
			r, err = t.tx.QueryContext(ctx, query, args...)
			return r, nil, err
		}
		return nil, nil, err
	}
	return r, ts, nil
}
