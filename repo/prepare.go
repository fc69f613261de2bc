package repo

import (
	"context"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/store"
	"github.com/genrepo/genrepo/mapped"
)

// PreparedInsert is an insert of rows bound but not sent: the statements
// that write them, to run in order (dialect.SendBatch), which fill in the
// rows' generated keys and defaults from RETURNING.
type PreparedInsert = store.PreparedInsert

// PrepareInsert binds rows for insertion, checking every one, and returns
// the statements that insert them without sending them, for a caller that
// sends several writes together (the unit of work's flush). It is
// InsertMany without the sending and without the transaction.
func (r *Repo[T]) PrepareInsert(rows []*T) (*PreparedInsert, error) {
	if err := r.usable("insert"); err != nil {
		return nil, err
	}
	return r.s.PrepareInsert(r.ex.Dialect(), rows)
}

// PrepareUpdate is Update without the sending: it binds row and returns
// the UPDATE statement, for a caller that sends several writes together
// (dialect.SendBatch). When the statement has run, its Done callback
// increments a version column's field, or returns an error when it matched
// no row; pass that error to Explain to learn whether the row is gone
// (ErrNotFound) or was changed meanwhile (ErrStale).
func (r *Repo[T]) PrepareUpdate(row *T, cols ...mapped.AnyColumn[T]) (dialect.Statement, error) {
	if err := r.usable("update"); err != nil {
		return dialect.Statement{}, err
	}
	return r.s.PrepareUpdate(r.ex.Dialect(), row, cols...)
}

// PrepareDelete is Delete without the sending and without the cascades:
// it returns the DELETE of row by its key (and version), for a caller that
// sends several writes together (dialect.SendBatch) and runs the model's
// cascades (model.Cascade) for the rows first. Its Done callback returns
// an error when it matched no row; Explain tells why.
func (r *Repo[T]) PrepareDelete(row *T) (dialect.Statement, error) {
	if err := r.usable("delete"); err != nil {
		return dialect.Statement{}, err
	}
	return r.s.PrepareDelete(r.ex.Dialect(), row)
}

// Explain returns err with the failure of a prepared UPDATE or DELETE
// (PrepareUpdate, PrepareDelete) of a row of a versioned table that matched
// no row resolved, by a SELECT of its key on ex (the transaction the
// statement ran in): ErrStale when a row with the key is stored with
// another version, ErrNotFound when none is. When that SELECT fails (the
// transaction was aborted by a later statement of the batch, say), err is
// returned joined to its failure, so the errors it carries stay reachable.
// Any other error is returned as it is.
func Explain(ctx context.Context, ex dialect.Executor, err error) error {
	return store.Explain(ctx, ex, err)
}
