package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/genrepo/genrepo/dialect"
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
// is reported here rather than at the first query. An error quoting the URL
// hides its password.
func Open(ctx context.Context, url string, opts ...dialect.Option) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: bad connection URL: %w", err)
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
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: cannot reach %s:%d: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, err)
	}
	s := dialect.Apply(opts)
	return &DB{executor: executor{q: pool, s: &s}, pool: pool}, nil
}

// Pool returns the underlying pgxpool, for what genrepo does not wrap.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Ping checks that the server answers.
func (db *DB) Ping(ctx context.Context) error { return db.pool.Ping(ctx) }

// Close closes every connection of the pool.
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
		return nil, fmt.Errorf("postgres: acquire connection: %w", err)
	}
	return &Conn{executor: executor{q: c, s: db.s}, conn: c}, nil
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
	s.Observe(ctx, dialect.OpBegin, "", 0, start, err)
	if err != nil {
		return nil, fmt.Errorf("postgres: begin: %w", translateError(err))
	}
	return &Tx{executor: executor{q: tx, s: s}, tx: tx}, nil
}

// Savepoint starts a nested transaction with SAVEPOINT; its Rollback undoes
// only the work done since, and its Commit releases it.
func (t *Tx) Savepoint(ctx context.Context) (dialect.Tx, error) {
	start := t.s.Start()
	sp, err := t.tx.Begin(ctx)
	t.s.Observe(ctx, dialect.OpBegin, "", 0, start, err)
	if err != nil {
		return nil, fmt.Errorf("postgres: savepoint: %w", t.translate(err))
	}
	return &Tx{executor: executor{q: sp, s: t.s}, tx: sp, savepoint: true}, nil
}

// Commit commits the transaction, or releases the savepoint. A COMMIT the
// server answers with ROLLBACK (the transaction had failed) is an error
// wrapping pgx.ErrTxCommitRollback.
func (t *Tx) Commit(ctx context.Context) error {
	if t.done {
		return dialect.ErrTxDone
	}
	t.done = true
	start := t.s.Start()
	err := t.tx.Commit(ctx)
	t.s.Observe(ctx, dialect.OpCommit, "", 0, start, err)
	if errors.Is(err, pgx.ErrTxClosed) {
		return dialect.ErrTxDone
	}
	if err != nil {
		return fmt.Errorf("postgres: commit: %w", t.translate(err))
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
	t.s.Observe(ctx, dialect.OpRollback, "", 0, start, err)
	if errors.Is(err, pgx.ErrTxClosed) {
		return dialect.ErrTxDone
	}
	if err = t.translate(err); errors.Is(err, dialect.ErrConnLost) && !t.savepoint {
		// The server ended the transaction with the connection: nothing
		// of it is left to undo.
		return nil
	}
	if err != nil {
		return fmt.Errorf("postgres: rollback: %w", err)
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
}

// Dialect returns the PostgreSQL dialect.
func (e *executor) Dialect() dialect.Dialect { return Dialect() }

// Exec runs a statement and reports the rows it affected.
func (e *executor) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	start := e.s.Start()
	tag, err := e.q.Exec(ctx, sql, args...)
	e.s.Observe(ctx, dialect.OpExec, sql, len(args), start, err)
	if err != nil {
		return 0, e.translate(err)
	}
	return tag.RowsAffected(), nil
}

// Query runs a statement that returns rows.
func (e *executor) Query(ctx context.Context, sql string, args ...any) (dialect.Rows, error) {
	start := e.s.Start()
	r, err := e.q.Query(ctx, sql, args...)
	e.s.Observe(ctx, dialect.OpQuery, sql, len(args), start, err)
	if err != nil {
		return nil, e.translate(err)
	}
	return &rows{r: r}, nil
}

func (e *executor) translate(err error) error { return translateError(err) }

type rows struct {
	r pgx.Rows
}

func (r *rows) Next() bool             { return r.r.Next() }
func (r *rows) Scan(dest ...any) error { return r.r.Scan(dest...) }
func (r *rows) Err() error             { return translateError(r.r.Err()) }
func (r *rows) Close() error {
	r.r.Close()
	return r.Err()
}
