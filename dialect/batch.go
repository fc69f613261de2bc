package dialect

import "context"

// Statement is one statement of a batch: its text and bound arguments, and
// what to do with its result.
type Statement struct {
	// SQL is the statement, written for the executor's Dialect.
	SQL string
	// Args are the statement's bound parameters.
	Args []any
	// Rows, when set, runs the statement as a query and is handed its rows
	// (it must not keep them after returning; the batch closes them).
	// When the statement itself fails, possibly while Rows reads it, the
	// batch returns the statement's error rather than the one Rows
	// returned, which usually only reports the missing rows.
	Rows func(Rows) error
	// Done, when set and Rows is nil, is handed the number of rows the
	// statement affected.
	Done func(affected int64) error
}

// Batcher is implemented by executors that send several statements to the
// database in one round trip (PostgreSQL pools, connections and
// transactions, through pgx.Batch). Its SendBatch behaves as the function
// SendBatch documents; call that function rather than the method, so that
// code runs on any executor.
type Batcher interface {
	// SendBatch sends stmts in one round trip and hands their results to
	// their callbacks, in order.
	SendBatch(ctx context.Context, stmts []Statement) error
}

// SendBatch runs stmts in order on ex: in one round trip when ex is a
// Batcher, otherwise one after another through Exec and Query. An empty
// batch does nothing, and a batch of one statement is sent as a plain Exec
// or Query. Each statement's callback is called after it ran, in
// statement order; none is called after the first error.
//
// It returns the first error: a statement's (translated like Exec's, so
// constraint violations are *ConstraintError) or one returned by a Rows or
// Done callback, unwrapped.
//
// What became of the other statements after an error depends on the
// executor, so callers should run a batch in a transaction that they roll
// back on error (InTx does):
//
//   - Run one after another (SQLite), the statements before the failing
//     one stand and those after it are not run.
//   - A Batcher (PostgreSQL) has already sent them all. After a callback's
//     error the later statements still run, their results read and
//     discarded; should one of them fail, its error is returned joined to
//     the callback's (errors.Join), since it aborted the transaction. After a statement's failure the server skips the later
//     ones; inside a transaction the failure aborts the transaction anyway,
//     and outside one the batch ran as a single implicit transaction, so
//     the earlier statements are undone too.
//
// A hook sees a Batcher's batch as one OpBatch event whose SQL is the
// statements joined by ";\n" and whose Args is their total count of
// arguments; run one after another, each statement is its own OpExec or
// OpQuery event.
func SendBatch(ctx context.Context, ex Executor, stmts []Statement) error {
	if len(stmts) == 0 {
		return nil
	}
	if b, ok := ex.(Batcher); ok && len(stmts) > 1 {
		return b.SendBatch(ctx, stmts)
	}
	for _, st := range stmts {
		if err := runStatement(ctx, ex, st); err != nil {
			return err
		}
	}
	return nil
}

// runStatement runs one statement of a batch through Exec or Query and
// hands its result to its callback.
func runStatement(ctx context.Context, ex Executor, st Statement) (err error) {
	if st.Rows == nil {
		n, err := ex.Exec(ctx, st.SQL, st.Args...)
		if err != nil {
			return err
		}
		if st.Done != nil {
			return st.Done(n)
		}
		return nil
	}
	rows, err := ex.Query(ctx, st.SQL, st.Args...)
	if err != nil {
		return err
	}
	closed := false
	defer func() {
		if !closed { // st.Rows panicked
			_ = rows.Close()
		}
	}()
	cbErr := st.Rows(rows)
	closed = true
	if err := rows.Close(); err != nil {
		return err // the statement failed: its error, not the callback's
	}
	return cbErr
}
