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
// NaN is stored in double precision and real columns.
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
// *pgconn.PgError stays reachable with errors.As. pgx's error for a
// finished transaction becomes dialect.ErrTxDone. Other errors are pgx's.
//
// # Concurrency
//
// A DB is safe for concurrent use; a Conn or a Tx belongs to one goroutine
// at a time.
package postgres
