package postgres

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/genrepo/genrepo/dialect"
)

var (
	_ dialect.Batcher = (*DB)(nil)
	_ dialect.Batcher = (*Conn)(nil)
	_ dialect.Batcher = (*Tx)(nil)
)

// SendBatch queues stmts in one pgx.Batch, sends it in one round trip and
// hands each statement's result to its callback, in order, as
// dialect.SendBatch documents. The results are always read to the end
// before it returns, even after an error, so the connection or transaction
// stays usable. The hook sees one dialect.OpBatch event for the whole
// batch, ending when its last result was read.
func (e *executor) SendBatch(ctx context.Context, stmts []dialect.Statement) error {
	if len(stmts) == 0 {
		return nil
	}
	b := &pgx.Batch{QueuedQueries: make([]*pgx.QueuedQuery, 0, len(stmts))}
	args := 0
	for _, st := range stmts {
		b.Queue(st.SQL, st.Args...)
		args += len(st.Args)
	}
	unsent := e.closed()
	start := e.s.Start()
	br := e.q.SendBatch(ctx, b)
	dbErr, cbErr := readBatch(br, stmts, e)
	if e.s.Hook != nil {
		sqls := make([]string, len(stmts))
		for i, st := range stmts {
			sqls[i] = st.SQL
		}
		observe(ctx, e.s, dialect.OpBatch, strings.Join(sqls, ";\n"), args, start, dbErr)
	}
	if cbErr != nil && dbErr != nil {
		// A later statement failed too, and with it the transaction.
		return errors.Join(cbErr, e.translate(dbErr, unsent))
	}
	if cbErr != nil {
		return cbErr
	}
	if dbErr != nil {
		return e.translate(dbErr, unsent)
	}
	return nil
}

// readBatch reads the results of br in the order of stmts, calling their
// callbacks until the first error, then closes br, which reads what is
// left. dbErr is the first error of the database, untranslated; cbErr is
// the error of a callback whose statement succeeded, returned instead.
func readBatch(br pgx.BatchResults, stmts []dialect.Statement, e *executor) (dbErr, cbErr error) {
	defer func() {
		// Also when a callback panics: closing releases the connection.
		if err := br.Close(); dbErr == nil {
			dbErr = err
		}
	}()
	for _, st := range stmts {
		if st.Rows == nil {
			tag, err := br.Exec()
			if err != nil {
				return err, nil
			}
			if st.Done != nil {
				if err := st.Done(tag.RowsAffected()); err != nil {
					return nil, err
				}
			}
			continue
		}
		r, err := br.Query()
		if err != nil {
			if r != nil {
				r.Close()
			}
			return err, nil
		}
		err = callRows(st.Rows, r, e)
		// pgx keeps a failed Scan as the rows' error: that is the
		// callback's, not the statement's.
		var scanErr pgx.ScanArgError
		if rerr := r.Err(); rerr != nil && (err == nil || !errors.As(rerr, &scanErr)) {
			return rerr, nil // the statement failed: its error, not the callback's
		}
		if err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// callRows hands r to fn, wrapped as the rows of Query are (reporting
// nothing to the hook: the batch's event does), and closes it.
func callRows(fn func(dialect.Rows) error, r pgx.Rows, e *executor) error {
	defer r.Close()
	return fn(&rows{r: r, e: e})
}
