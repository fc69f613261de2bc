package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
)

// DB is a pgxpool pool seen as a dialect.DB. It is safe for concurrent use.
type DB struct {
	executor
	pool *pgxpool.Pool
}

var (
	_ dialect.DB       = (*DB)(nil)
	_ dialect.Conn     = (*Conn)(nil)
	_ dialect.Tx       = (*Tx)(nil)
	_ dialect.Executor = (*executor)(nil)
)

// Open connects to the PostgreSQL database at url (postgres://… or
// postgresql://…, or a key=value DSN). Pool settings in the URL
// (pool_max_conns, pool_min_conns, pool_max_conn_lifetime, …) are read as
// pgxpool reads them. Open pings the server, so a wrong address or password
// is reported here rather than at the first query; a server that is down
// or starting up is reported as dialect.ErrCannotConnect, one that refuses
// the credentials or the database with the server's error. An error
// quoting the URL hides its password.
func Open(ctx context.Context, url string, opts ...dialect.Option) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, errs.Errorf("postgres: bad connection URL: %w", err)
	}
	return OpenConfig(ctx, cfg, opts...)
}

// OpenConfig connects with a pgxpool configuration the caller has prepared,
// for settings a URL cannot carry.
//
// Timestamps are read back in UTC, as on SQLite, whatever the server's or
// the process's time zone. cfg is copied, not modified.
func OpenConfig(ctx context.Context, cfg *pgxpool.Config, opts ...dialect.Option) (*DB, error) {
	cfg = cfg.Copy()
	after := cfg.AfterConnect
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		c.TypeMap().RegisterType(&pgtype.Type{Name: "timestamptz", OID: pgtype.TimestamptzOID,
			Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC}})
		if after != nil {
			return after(ctx, c)
		}
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, errs.Errorf("postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, errs.Errorf("postgres: cannot reach %s:%d: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, translateError(err))
	}
	s := dialect.Apply(opts)
	return &DB{executor: executor{q: pool, s: &s, auto: true}, pool: pool}, nil
}

// Pool returns the underlying pgxpool, for what genrepo does not wrap.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Ping checks that the server answers. A server that cannot be reached
// for now is reported as dialect.ErrCannotConnect.
func (db *DB) Ping(ctx context.Context) error { return translateError(db.pool.Ping(ctx)) }

// Close closes every connection of the pool and returns nil. It closes the
// idle connections at once, and then blocks until every connection in use
// has been released and closed: that of an open transaction (until its
// Commit or Rollback), of a pinned Conn (until Release), and of rows not
// yet closed. So a transaction left open blocks Close forever; end it, or
// cancel its context, which makes pgx close its connection at the next
// statement. Close must not be called from the goroutine that holds such a
// connection. New work on a closed DB fails.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// Begin starts a transaction on a connection of the pool.
func (db *DB) Begin(ctx context.Context, opts dialect.TxOptions) (dialect.Tx, error) {
	return begin(ctx, db.pool, db.s, opts)
}

// Conn pins one connection of the pool.
func (db *DB) Conn(ctx context.Context) (dialect.Conn, error) {
	c, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, errs.Errorf("postgres: acquire connection: %w", translateError(err))
	}
	return &Conn{executor: executor{q: c, s: db.s, auto: true, pg: c.Conn().PgConn()}, conn: c}, nil
}

// Conn is one connection pinned from the pool, for work that must see one
// session (temporary tables, session settings). It is not safe for
// concurrent use; Release returns it to the pool.
type Conn struct {
	executor
	conn *pgxpool.Conn
}

// Begin starts a transaction on this connection.
func (c *Conn) Begin(ctx context.Context, opts dialect.TxOptions) (dialect.Tx, error) {
	return begin(ctx, c.conn, c.s, opts)
}

// Release returns the connection to the pool.
func (c *Conn) Release() { c.conn.Release() }

// Raw returns the pgx connection, for what genrepo does not wrap.
func (c *Conn) Raw() *pgx.Conn { return c.conn.Conn() }

// Tx is a transaction or a savepoint inside one. It is not safe for
// concurrent use. After Commit or Rollback, both return dialect.ErrTxDone.
// A failed statement aborts the whole transaction, as PostgreSQL does:
// later statements fail until it is rolled back, unless the failure
// happened in a savepoint that is rolled back.
type Tx struct {
	executor
	tx        pgx.Tx
	done      bool // Commit or Rollback was called
	savepoint bool // a savepoint inside a transaction
}

type txBeginner interface {
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}

func begin(ctx context.Context, b txBeginner, s *dialect.Settings, opts dialect.TxOptions) (dialect.Tx, error) {
	po := pgx.TxOptions{}
	if opts.Isolation != dialect.Default {
		po.IsoLevel = pgx.TxIsoLevel(strings.ToLower(opts.Isolation.String()))
	}
	if opts.ReadOnly {
		po.AccessMode = pgx.ReadOnly
	}
	start := s.Start()
	tx, err := b.BeginTx(ctx, po)
	observe(ctx, s, dialect.OpBegin, "", 0, start, err)
	if err != nil {
		return nil, errs.Errorf("postgres: begin: %w", translateError(err))
	}
	return &Tx{executor: executor{q: tx, s: s}, tx: tx}, nil
}

// Savepoint starts a nested transaction with SAVEPOINT; its Rollback undoes
// only the work done since, and its Commit releases it.
func (t *Tx) Savepoint(ctx context.Context) (dialect.Tx, error) {
	start := t.s.Start()
	sp, err := t.tx.Begin(ctx)
	observe(ctx, t.s, dialect.OpBegin, "", 0, start, err)
	if err != nil {
		return nil, errs.Errorf("postgres: savepoint: %w", translateError(err))
	}
	return &Tx{executor: executor{q: sp, s: t.s}, tx: sp, savepoint: true}, nil
}

// Commit commits the transaction, or releases the savepoint. A COMMIT the
// server answers with ROLLBACK (the transaction had failed) is an error
// wrapping pgx.ErrTxCommitRollback.
//
// A COMMIT whose answer never arrives, because the connection was lost or
// ctx ended while it waited, may have been carried out by the server: the
// error matches dialect.ErrCommitUnknown (and still the context's error,
// when that ended it). A connection found lost before the COMMIT was sent
// is dialect.ErrConnLost, and a ctx already done commits nothing and
// returns ctx's error: then nothing is committed. Releasing a savepoint on
// a lost connection is dialect.ErrConnLost.
func (t *Tx) Commit(ctx context.Context) error {
	if t.done {
		return dialect.ErrTxDone
	}
	t.done = true
	// Whether the COMMIT can have been sent, read before pgx sends it.
	unsent := ctx.Err() != nil || t.tx.Conn().PgConn().IsClosed()
	start := t.s.Start()
	err := t.tx.Commit(ctx)
	observe(ctx, t.s, dialect.OpCommit, "", 0, start, err)
	if errors.Is(err, pgx.ErrTxClosed) {
		return dialect.ErrTxDone
	}
	if err != nil && t.savepoint {
		// Releasing a savepoint commits nothing yet.
		return errs.Errorf("postgres: commit: %w", translateError(err))
	}
	if err != nil {
		return errs.Errorf("postgres: commit: %w", commitError(err, unsent))
	}
	return nil
}

// Rollback rolls the transaction back, or back to the savepoint, which
// then ends; the enclosing transaction goes on.
//
// Rolling back a transaction whose connection was lost (dialect.ErrConnLost)
// succeeds: the server has already ended it. Rolling back to a savepoint
// on a lost connection fails with dialect.ErrConnLost: the enclosing
// transaction is gone too, so it cannot go on.
//
// Rolling back a finished transaction returns dialect.ErrTxDone at once,
// sending nothing and reporting nothing to the hook, so that a deferred
// Rollback after Commit is harmless and quiet.
func (t *Tx) Rollback(ctx context.Context) error {
	if t.done {
		return dialect.ErrTxDone
	}
	t.done = true
	start := t.s.Start()
	err := t.tx.Rollback(ctx)
	observe(ctx, t.s, dialect.OpRollback, "", 0, start, err)
	if errors.Is(err, pgx.ErrTxClosed) {
		return dialect.ErrTxDone
	}
	if err = translateError(err); errors.Is(err, dialect.ErrConnLost) && !t.savepoint {
		// The server ended the transaction with the connection: nothing
		// of it is left to undo.
		return nil
	}
	if err != nil {
		return errs.Errorf("postgres: rollback: %w", err)
	}
	return nil
}

// Raw returns the pgx transaction, for what genrepo does not wrap.
func (t *Tx) Raw() pgx.Tx { return t.tx }

// querier is what a pool, a pooled connection and a transaction share.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// executor runs statements on a querier, reporting them to the hook and
// translating errors.
type executor struct {
	q querier
	s *dialect.Settings
	// auto is set on a pool and a pinned connection, where a statement
	// commits by itself: one whose connection is lost after it was sent
	// has an unknown outcome.
	auto bool
	// pg is a pinned connection's, to tell a connection closed before a
	// statement was sent; nil on a pool, which hands out no closed one.
	pg *pgconn.PgConn
}

// Dialect returns the PostgreSQL dialect.
func (e *executor) Dialect() dialect.Dialect { return Dialect() }

// Exec runs a statement and reports the rows it affected.
func (e *executor) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	unsent := e.closed()
	start := e.s.Start()
	tag, err := e.q.Exec(ctx, sql, args...)
	observe(ctx, e.s, dialect.OpExec, sql, len(args), start, err)
	if err != nil {
		return 0, e.translate(err, unsent)
	}
	return tag.RowsAffected(), nil
}

// Query runs a statement that returns rows. pgx reports most failures of
// the statement, such as a violated constraint of an INSERT … RETURNING,
// only as the rows are read, so the hook hears of the query when its rows
// are done: read to the end, or closed.
func (e *executor) Query(ctx context.Context, sql string, args ...any) (dialect.Rows, error) {
	unsent := e.closed()
	start := e.s.Start()
	r, err := e.q.Query(ctx, sql, args...)
	if err != nil {
		observe(ctx, e.s, dialect.OpQuery, sql, len(args), start, err)
		return nil, e.translate(err, unsent)
	}
	return &rows{r: r, e: e, ev: e.s.Pend(ctx, sql, len(args), start)}, nil
}

// translate translates a statement's error. On a pool or a pinned
// connection, a connection lost after the statement was sent leaves its
// outcome unknown; unsent says that nothing was sent (the pinned
// connection was closed already). pgx's SafeToRetry cannot say so, since
// pgx reports "conn closed" both before sending and after a connection
// ended while it waited for the answer.
func (e *executor) translate(err error, unsent bool) error {
	terr := translateError(err)
	if e.auto && !unsent && errors.Is(terr, dialect.ErrConnLost) {
		return &dialect.CommitUnknownError{Err: err}
	}
	return terr
}

// closed reports whether a pinned connection is closed before a statement
// is sent on it.
func (e *executor) closed() bool { return e.pg != nil && e.pg.IsClosed() }

// observe reports a step to the hook, if there is one, with err as
// hookError makes it safe to print.
func observe(ctx context.Context, s *dialect.Settings, op dialect.Op, sql string, args int, start time.Time, err error) {
	if s.Hook != nil {
		s.Observe(ctx, op, sql, args, start, hookError(err))
	}
}

// rows are a query's rows; ev is what the hook is told once they are done.
type rows struct {
	r  pgx.Rows
	e  *executor
	ev *dialect.Pending
}

func (r *rows) Next() bool {
	if r.r.Next() {
		return true
	}
	r.report() // pgx closed the rows: their error is final
	return false
}

func (r *rows) Scan(dest ...any) error { return r.r.Scan(dest...) }
func (r *rows) Err() error             { return r.e.translate(r.r.Err(), false) }

// Close closes the rows and returns the statement's error. A failed Scan,
// which pgx keeps as the rows' error, was returned by Scan already and is
// no error of the statement's: Close does not return it again.
func (r *rows) Close() error {
	r.r.Close()
	r.report()
	err := r.r.Err()
	if err == nil {
		return nil
	}
	var scanErr pgx.ScanArgError
	if errors.As(err, &scanErr) {
		return nil
	}
	return r.Err()
}

// report tells the hook, once, how the query ended.
func (r *rows) report() {
	if r.ev != nil {
		r.ev.Done(hookError(r.r.Err()))
	}
}
