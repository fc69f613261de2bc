// Package postgres is genrepo's PostgreSQL dialect, built on pgx v5 and
// its pgxpool pool directly rather than through database/sql.
//
// # Opening
//
// Open takes a URL (postgres://… or postgresql://…) or a key=value DSN, as
// pgxpool.ParseConfig reads them, pool settings included; OpenConfig takes
// a prepared *pgxpool.Config for what a URL cannot say. Both ping the
// server, so a wrong address or password fails here, not at the first
// query; the error names the host but never the password.
//
//	db, err := postgres.Open(ctx, "postgres://app@localhost:5432/music?pool_max_conns=10",
//		dialect.WithLogger(logger))
//	if err != nil {
//		return err
//	}
//	defer db.Close()
//
// A *DB is a dialect.DB. Pool, Conn.Raw and Tx.Raw hand out the pgx values
// underneath for what genrepo does not wrap (COPY, LISTEN).
//
// # Batches
//
// DB, Conn and Tx are dialect.Batcher: dialect.SendBatch queues the
// statements in one pgx.Batch and sends them in one round trip (two when
// some statement was never prepared on the connection before), reported to
// the hook as a single dialect.OpBatch event.
//
// # Statements
//
// Placeholders are $1, $2, …; a statement binds at most 65535 of them.
// Arguments are encoded by pgx, so a Go slice binds as one array parameter
// (col = ANY($1)), which is how long IN lists stay one parameter.
// Timestamps are timestamptz, kept to the microsecond (genrepo truncates
// finer digits) and read back in UTC; times outside timestamptz's range,
// 4714-11-24 BC to 294276-12-31 AD, are refused before they are sent
// (dialect.ErrNotStorable), since pgx would send another instant for some.
// NaN is stored in double precision, real and numeric columns.
//
// # Transactions
//
// Begin maps dialect.TxOptions to BEGIN ISOLATION LEVEL … READ ONLY as
// asked; Savepoint uses SAVEPOINT and RELEASE. After a failed statement
// PostgreSQL refuses every further statement of the transaction (SQLSTATE
// 25P02), and Commit rolls back and returns an error wrapping
// pgx.ErrTxCommitRollback, unless the failure happened in a savepoint that
// was rolled back:
//
//	sp, err := tx.Savepoint(ctx)
//	if err != nil {
//		return err
//	}
//	if _, err := sp.Exec(ctx, insert, name); errors.Is(err, dialect.ErrUnique) {
//		_ = sp.Rollback(ctx) // tx goes on
//	} else if err == nil {
//		err = sp.Commit(ctx)
//	}
//
// # Errors
//
// SQLSTATE 23505, 23503, 23502 and 23514 become *dialect.ConstraintError,
// with the table, column and constraint names the server reported; the
// *pgconn.PgError stays reachable with errors.As. A serialization failure
// (40001) or a deadlock (40P01) becomes *dialect.RetryableError, matching
// dialect.ErrRetryable. pgx's error for a finished transaction becomes
// dialect.ErrTxDone. Other errors are pgx's.
//
// The connection's failures fall in three classes, each matched with
// errors.Is and each wrapping pgx's error:
//
//   - dialect.ErrCannotConnect: no connection could be made (refused,
//     unanswered, or the server starting up, shutting down or full:
//     57P03, 53300), when Open, Begin, Conn, Ping or a statement on the
//     pool needed one. Nothing was sent; try again after a pause.
//   - dialect.ErrConnLost: the connection was lost (a network error, an
//     unexpected end of the connection, the session terminated: 57P01,
//     57P02, class 08) during Begin or a transaction's statement, or
//     before its COMMIT was sent. The server rolled the transaction back;
//     running it again is safe.
//   - dialect.ErrCommitUnknown: the connection was lost, or Commit's
//     context ended, after the COMMIT was sent and before its answer came;
//     likewise for a statement run outside a transaction, on the DB or a
//     Conn, which commits by itself. The work may have been committed: do
//     not run it again blindly (see dialect.ErrCommitUnknown). A read may
//     simply be run again.
//
// pgx reports a connection that ended while it waited for an answer as
// "conn closed", the same error it gives before sending anything, so
// genrepo does not rely on pgconn.SafeToRetry to tell whether a COMMIT
// went out: it checks whether the connection was closed before sending.
// A COMMIT that reaches a server which had already ended the session
// (pg_terminate_backend) is therefore ErrCommitUnknown too: the client
// cannot tell that apart from a session ended just after committing.
//
// # Closing
//
// DB.Close closes the idle connections and then waits for every
// connection in use to be released: a transaction not yet committed or
// rolled back, a Conn not released, rows not closed. It blocks until they
// are; end them first.
//
// # Hooks
//
// The hook hears of a query when its rows are done (read to the end, or
// closed), since pgx reports a failing INSERT … RETURNING only then. An
// Event's error never quotes a bound value: messages of the SQLSTATE
// classes the server may fill with the input it refused (22, data
// exceptions; P0, PL/pgSQL's RAISE; …) and pgx's errors about encoding or
// scanning a value are withheld, the Event's error naming the SQLSTATE or
// the argument instead and unwrapping to pgx's error.
//
// # Concurrency
//
// A DB is safe for concurrent use; a Conn or a Tx belongs to one goroutine
// at a time.
package postgres
