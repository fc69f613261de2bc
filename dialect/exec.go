package dialect

import (
	"context"
	"errors"
	"fmt"
)

// Executor runs statements. A pool (DB), a pinned connection (Conn) and a
// transaction (Tx) all satisfy it, so code written against an Executor runs
// unchanged inside or outside a transaction. Arguments are bound
// parameters, never interpolated. Errors that report a violated constraint
// come back as *ConstraintError.
type Executor interface {
	// Exec runs a statement that returns no rows and reports how many rows
	// it affected.
	Exec(ctx context.Context, sql string, args ...any) (int64, error)
	// Query runs a statement that returns rows. The caller must Close them.
	Query(ctx context.Context, sql string, args ...any) (Rows, error)
	// Dialect is the dialect of the database behind the executor.
	Dialect() Dialect
}

// Rows is the cursor of a query. It is not safe for concurrent use.
type Rows interface {
	// Next advances to the next row, reporting false at the end or on error.
	Next() bool
	// Scan copies the current row's columns into dest, one pointer each.
	Scan(dest ...any) error
	// Err is the error that ended iteration, if any.
	Err() error
	// Close releases the cursor; it returns Err. Closing twice is harmless.
	Close() error
}

// RowIDInserter is an Executor whose database gives each row of a table an
// integer rowid and tells the rowid of the row an INSERT made (SQLite's
// last_insert_rowid), so that a generated key that is the rowid needs no
// RETURNING to be read back. It is an optional fast path: an executor
// without it, or a table whose key is not its rowid, is written with
// RETURNING as usual.
type RowIDInserter interface {
	// InsertRowID runs sql, an INSERT of exactly one row into table that
	// leaves column to the database, and returns the rowid of that row,
	// which is the column's value. When column is not an alias of table's
	// rowid (a key declared other than INTEGER PRIMARY KEY, a table
	// WITHOUT ROWID), it runs nothing and reports ok false.
	InsertRowID(ctx context.Context, table, column, sql string, args ...any) (id int64, ok bool, err error)
	// KeyFilled returns nil when the database gives column of table a
	// value of its own in a row an INSERT leaves it out of: the column
	// aliases the rowid, or has a DEFAULT. Otherwise it returns a
	// *ConstraintError of kind NotNull naming the column, and the INSERT
	// must not be sent: SQLite would store the row with a NULL in a
	// primary key declared other than INTEGER PRIMARY KEY (BIGINT PRIMARY
	// KEY, say), where PostgreSQL refuses the NULL.
	KeyFilled(ctx context.Context, table, column string) error
}

// Beginner starts transactions.
type Beginner interface {
	// Begin starts a transaction with the given options. What ctx covers
	// differs: on SQLite (database/sql) the transaction lives under ctx,
	// rolled back when ctx ends, and a later Commit returns ctx's error; on
	// PostgreSQL (pgx) ctx covers only the BEGIN. A Commit whose own
	// context is already done commits nothing on either.
	Begin(ctx context.Context, opts TxOptions) (Tx, error)
}

// DB is a pool of connections to one database. It is safe for concurrent
// use by many goroutines.
type DB interface {
	Executor
	Beginner
	// Conn pins one connection of the pool until it is released.
	Conn(ctx context.Context) (Conn, error)
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// Close closes every connection of the pool; new work on it fails.
	// Connections in use differ: PostgreSQL waits until each is released,
	// so Close blocks while a transaction is open, a Conn is pinned or
	// rows are not closed; SQLite returns at once and closes each when it
	// is released, so a transaction still open goes on and may commit.
	Close() error
}

// Conn is one connection taken from a pool. It is not safe for concurrent
// use. Release returns it to the pool.
type Conn interface {
	Executor
	Beginner
	// Release returns the connection to its pool; the Conn must not be used
	// afterwards.
	Release()
}

// Tx is a transaction, or a savepoint inside one. It is not safe for
// concurrent use. After Commit or Rollback it must not be used.
type Tx interface {
	Executor
	// Savepoint starts a nested transaction that can be rolled back without
	// undoing the enclosing one. Its Commit releases the savepoint.
	Savepoint(ctx context.Context) (Tx, error)
	// Commit makes the transaction's work permanent. A commit the server
	// turns into a rollback is reported as an error. One whose answer never
	// came (the connection lost, or ctx ended, while it waited) returns an
	// error matching ErrCommitUnknown: the work may have been committed.
	Commit(ctx context.Context) error
	// Rollback undoes the transaction's work. Rolling back a finished
	// transaction returns ErrTxDone.
	Rollback(ctx context.Context) error
}

// ErrTxDone is returned by a transaction used after Commit or Rollback.
var ErrTxDone = errors.New("dialect: transaction already committed or rolled back")

// Isolation is a transaction isolation level.
type Isolation uint8

// The isolation levels. Default is the database's own default. SQLite runs
// every transaction serializably, which satisfies any level asked for.
const (
	Default Isolation = iota
	ReadUncommitted
	ReadCommitted
	RepeatableRead
	Serializable
)

// String returns the level as SQL writes it.
func (i Isolation) String() string {
	switch i {
	case ReadUncommitted:
		return "READ UNCOMMITTED"
	case ReadCommitted:
		return "READ COMMITTED"
	case RepeatableRead:
		return "REPEATABLE READ"
	case Serializable:
		return "SERIALIZABLE"
	}
	return "DEFAULT"
}

// TxOptions configure a transaction. The zero value is a read-write
// transaction at the database's default isolation level.
type TxOptions struct {
	// Isolation is the isolation level; Default leaves the database's
	// own. SQLite accepts every level and runs serializably.
	Isolation Isolation
	// ReadOnly refuses writes inside the transaction. On SQLite it also
	// starts the transaction without taking the write lock.
	ReadOnly bool
}

// InTx runs fn in a transaction begun on ex, or in a savepoint when ex is
// already a transaction, committing when fn returns nil and rolling back
// otherwise. It is how a multi-statement operation stays all-or-nothing.
func InTx(ctx context.Context, ex Executor, fn func(Executor) error) (err error) {
	var tx Tx
	switch e := ex.(type) {
	case Tx:
		tx, err = e.Savepoint(ctx)
	case Beginner:
		tx, err = e.Begin(ctx, TxOptions{})
	default:
		return fmt.Errorf("dialect: %T can begin no transaction", ex)
	}
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback(context.WithoutCancel(ctx))
			return
		}
		err = tx.Commit(ctx)
	}()
	return fn(tx)
}
