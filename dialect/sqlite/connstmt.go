package sqlite

import (
	"container/list"
	"context"
	"database/sql/driver"
	"errors"
	"sync"
)

// database/sql closes the statements prepared in a transaction when it
// ends, so a transaction's statements would be prepared anew in each
// transaction. genrepo's pool therefore opens its connections through
// connector, whose connections keep the statements closed on them: a
// statement closed by database/sql goes back to its connection, idle, and
// the next PrepareContext of the same SQL text on that connection takes
// it again instead of preparing it. A statement is lent to one
// database/sql statement at a time and is idle (reset, holding no lock)
// when it is kept, so no SQLite statement handle is ever shared between a
// transaction and anything else: sharing one (through Tx.StmtContext)
// once left a connection holding the write lock under concurrent use.

// connIdleStmts is how many idle statements a connection keeps; past it,
// the least recently used is finalized.
const connIdleStmts = 64

// connector opens the driver's connections as *conn.
type connector struct {
	inner driver.Connector
}

// Connect opens a connection of the driver and wraps it.
func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	ic, ok := dc.(innerConn)
	if !ok {
		_ = dc.Close()
		return nil, errors.New("sqlite: the driver's connection lacks a context method database/sql needs")
	}
	return &conn{inner: ic, idle: make(map[string]*list.Element)}, nil
}

// Driver returns the driver's own driver.Driver, so that sql.DB.Driver
// reports modernc.org/sqlite's.
func (c connector) Driver() driver.Driver { return c.inner.Driver() }

// innerConn is what conn needs of the driver's connection: everything
// database/sql would otherwise use of it.
type innerConn interface {
	driver.Conn
	driver.ConnPrepareContext
	driver.ConnBeginTx
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// conn is a connection of the driver that keeps, idle, the DML statements
// database/sql closes on it, for the next PrepareContext of the same SQL.
// database/sql uses a connection from one goroutine at a time; mu guards
// the idle statements all the same.
type conn struct {
	inner innerConn

	mu     sync.Mutex
	idle   map[string]*list.Element // of *stmt, one per SQL text
	lru    list.List                // idle statements, most recently closed first
	closed bool
	// prepared counts the statements the driver prepared on the
	// connection, for tests.
	prepared int
}

var (
	_ driver.Connector          = connector{}
	_ innerConn                 = (*conn)(nil)
	_ driver.StmtExecContext    = (*stmt)(nil)
	_ driver.StmtQueryContext   = (*stmt)(nil)
	_ interface{ Unwrap() any } = (*conn)(nil)
)

// Unwrap returns modernc.org/sqlite's connection, for what sql.Conn.Raw's
// caller wants of it (Serialize, NewBackup, …).
func (c *conn) Unwrap() any { return c.inner }

// PrepareContext returns the idle statement kept for query, or prepares
// one.
func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if s := c.take(query); s != nil {
		return s, nil
	}
	ds, err := c.inner.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.prepared++
	c.mu.Unlock()
	is, ok := ds.(innerStmt)
	if !ok {
		return ds, nil
	}
	return &stmt{conn: c, query: query, inner: is, keep: cacheable(query)}, nil
}

// Prepare is PrepareContext without a context.
func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// take removes query's idle statement from the connection and returns it,
// or nil when there is none.
func (c *conn) take(query string) *stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.idle[query]
	if !ok {
		return nil
	}
	delete(c.idle, query)
	return c.lru.Remove(el).(*stmt)
}

// put keeps s idle, unless the connection is closed or keeps one for its
// SQL already; it returns the statements to finalize.
func (c *conn) put(s *stmt) (stale []*stmt) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.idle[s.query]; ok || c.closed {
		return []*stmt{s}
	}
	c.idle[s.query] = c.lru.PushFront(s)
	for c.lru.Len() > connIdleStmts {
		old := c.lru.Remove(c.lru.Back()).(*stmt)
		delete(c.idle, old.query)
		stale = append(stale, old)
	}
	return stale
}

// idleLen reports how many idle statements the connection keeps.
func (c *conn) idleLen() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}

// Close finalizes the idle statements, then closes the connection.
// database/sql closes the statements in use on it first.
func (c *conn) Close() error {
	c.mu.Lock()
	c.closed = true
	var stale []*stmt
	for el := c.lru.Front(); el != nil; el = el.Next() {
		stale = append(stale, el.Value.(*stmt))
	}
	c.lru.Init()
	clear(c.idle)
	c.mu.Unlock()
	var err error
	for _, s := range stale {
		err = errors.Join(err, s.inner.Close())
	}
	return errors.Join(err, c.inner.Close())
}

// Begin starts a transaction, as the driver does.
//
// Deprecated: database/sql calls BeginTx; Begin is part of driver.Conn.
func (c *conn) Begin() (driver.Tx, error) {
	return c.inner.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx starts a transaction, as the driver does.
func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.inner.BeginTx(ctx, opts)
}

// ExecContext runs an unprepared statement, as the driver does.
func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.inner.ExecContext(ctx, query, args)
}

// QueryContext runs an unprepared query, as the driver does.
func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.inner.QueryContext(ctx, query, args)
}

// Ping checks the connection, as the driver does.
func (c *conn) Ping(ctx context.Context) error { return c.inner.Ping(ctx) }

// ResetSession is the driver's.
func (c *conn) ResetSession(ctx context.Context) error { return c.inner.ResetSession(ctx) }

// IsValid is the driver's.
func (c *conn) IsValid() bool { return c.inner.IsValid() }

// innerStmt is what stmt needs of the driver's statement.
type innerStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// stmt is a statement of the driver lent by its connection to one
// database/sql statement; Close gives it back, or finalizes it when it is
// not DML (keep unset).
type stmt struct {
	conn  *conn
	query string
	inner innerStmt
	keep  bool
}

// Close gives the statement back to its connection, idle. database/sql
// closes a statement only once no rows of it are open, and the driver
// resets the statement when its rows are closed or its Exec returns, so
// an idle statement holds no lock.
func (s *stmt) Close() error {
	if !s.keep {
		return s.inner.Close()
	}
	var err error
	for _, old := range s.conn.put(s) {
		err = errors.Join(err, old.inner.Close())
	}
	return err
}

// NumInput is the driver's.
func (s *stmt) NumInput() int { return s.inner.NumInput() }

// Exec runs the statement.
//
// Deprecated: database/sql calls ExecContext; Exec is part of driver.Stmt.
func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.inner.Exec(args) //nolint:staticcheck // part of driver.Stmt
}

// Query runs the statement.
//
// Deprecated: database/sql calls QueryContext; Query is part of driver.Stmt.
func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.inner.Query(args) //nolint:staticcheck // part of driver.Stmt
}

// ExecContext runs the statement.
func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.inner.ExecContext(ctx, args)
}

// QueryContext runs the statement.
func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.inner.QueryContext(ctx, args)
}
