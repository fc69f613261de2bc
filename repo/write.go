package repo

import (
	"context"
	"fmt"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/query"
)

// Insert inserts row. A generated key left zero is filled in from
// RETURNING, as are columns left NULL that have a default (mapped.Default,
// DefaultSQL, DefaultNow) and a zero time.Time declared DefaultNow. On
// SQLite, when the key is all there is to read back and the table's key is
// its rowid (INTEGER PRIMARY KEY, as genrepo's DDL declares it), the key
// is the rowid of the row made, with no RETURNING; a key that is not the
// rowid is still read back with RETURNING. A generated key left zero that
// SQLite would not fill in (a key declared BIGINT PRIMARY KEY with no
// DEFAULT, which SQLite stores as NULL) is refused before anything is
// written, with a *dialect.ConstraintError of kind NotNull naming the
// column, as PostgreSQL refuses it; InsertMany, Upsert and a unit of
// work's flush refuse it too. Map such a key mapped.Manual.
// A version column left zero is written as 1. Constraint violations are
// *dialect.ConstraintError; on any error nothing is written, but one: a
// column read back that its field cannot hold (a database default of
// another type than the field's, a mistake of the mapping) is found only
// after the database stored the row, which stays stored unless the insert
// runs in a transaction (dialect.InTx, a unit of work); the error says it
// may be stored.
func (r *Repo[T]) Insert(ctx context.Context, row *T) error {
	if err := r.usable("insert"); err != nil {
		return err
	}
	return r.s.Insert(ctx, r.ex, row)
}

// InsertMany inserts rows with multi-row INSERT … RETURNING statements,
// one per run of consecutive rows that write the same columns (a row with
// a NULL defaulted column leaves that column out), each under the
// dialect's parameter limit and at most 1000 rows, filling generated keys
// and defaults as Insert does. Generated keys follow the order of rows,
// and what a statement returns is matched to the rows by key, never by
// the order the database returns it in. Every row is checked before
// anything is sent, and when more than one statement is needed they run
// in one transaction (a savepoint inside a caller's transaction): either
// every row is inserted or none is, but for a column read back that its
// field cannot hold, as Insert says. Rows whose key is left to a database
// default other than mapped.Auto's sequence (a UUID default) go one
// statement each, since nothing else can tell which returned row is whose.
func (r *Repo[T]) InsertMany(ctx context.Context, rows []*T) error {
	if err := r.usable("insert"); err != nil {
		return err
	}
	return r.s.InsertMany(ctx, r.ex, rows)
}

// Upsert inserts row, or, when a row with the same values in the conflict
// target already exists, updates that row's other columns to row's values
// (SQLAlchemy's merge). The target is the primary key unless columns are
// given (they must carry a unique constraint). The row's key is filled in
// from the stored row either way.
func (r *Repo[T]) Upsert(ctx context.Context, row *T, target ...mapped.AnyColumn[T]) error {
	if err := r.usable("upsert"); err != nil {
		return err
	}
	return r.s.Upsert(ctx, r.ex, row, target)
}

// Update writes row to the stored row with the same primary key: every
// column but the key, or only cols when given (in any order; a column named
// twice is written once). Zero values are written like any other value,
// never skipped. It returns ErrNoKey when row's key is
// zero, and ErrNotFound when no stored row has its key.
//
// When the table has a version column (mapped.Version), Update matches the
// row's version too and sets the stored version to one more, whichever
// columns are written; on success it increments the row's field. A stored
// row with another version is ErrStale, and nothing is written. The version
// column itself is never written from the row.
func (r *Repo[T]) Update(ctx context.Context, row *T, cols ...mapped.AnyColumn[T]) error {
	if err := r.usable("update"); err != nil {
		return err
	}
	k, err := r.s.UpdateOf(r.ex.Dialect(), row, cols)
	if err != nil {
		return err
	}
	return k.Run(ctx, r.ex)
}

// Delete deletes the stored row with row's primary key. It returns ErrNoKey
// when the key is zero and ErrNotFound when no row has it; on a table with
// a version column it matches the row's version too, and a stored row with
// another version is ErrStale, left in place. When relations
// declare cascades from this table, they run first in the same
// transaction (a savepoint inside a caller's), deepest rows first: the
// delete and its cascades happen together or not at all.
func (r *Repo[T]) Delete(ctx context.Context, row *T) error {
	if err := r.usable("delete"); err != nil {
		return err
	}
	k, err := r.s.DeleteOf(r.ex.Dialect(), row)
	if err != nil {
		return err
	}
	t := r.Table()
	if !model.Cascades(r.ex, t) {
		return k.Run(ctx, r.ex)
	}
	return dialect.InTx(ctx, r.ex, func(tx dialect.Executor) error {
		if err := model.Cascade(ctx, tx, t, []*T{row}); err != nil {
			return r.errorf("delete", err)
		}
		return k.Run(ctx, tx)
	})
}

// UpdateWhere applies the assignments to every row matching cond and
// returns how many rows it changed. The zero condition is refused with
// ErrNoCondition; query.AllRows[T]() updates every row.
func (r *Repo[T]) UpdateWhere(ctx context.Context, cond query.Cond[T], set ...query.Assign[T]) (int64, error) {
	if err := r.usable("update"); err != nil {
		return 0, err
	}
	if cond.IsZero() {
		return 0, r.errorf("update", ErrNoCondition)
	}
	if len(set) == 0 {
		return 0, r.errorf("update", fmt.Errorf("no assignment given"))
	}
	stmt := &query.Update{Table: r.Table(), Where: []query.Condition{cond}}
	for _, a := range set {
		stmt.Set = append(stmt.Set, a.Assignment)
	}
	return r.execStmt(ctx, "update", stmt)
}

// DeleteWhere deletes every row matching cond and returns how many it
// deleted, applying relation cascades as Delete does. The zero condition is refused with ErrNoCondition;
// query.AllRows[T]() deletes every row.
func (r *Repo[T]) DeleteWhere(ctx context.Context, cond query.Cond[T]) (int64, error) {
	if err := r.usable("delete"); err != nil {
		return 0, err
	}
	if cond.IsZero() {
		return 0, r.errorf("delete", ErrNoCondition)
	}
	stmt := &query.Delete{From: r.Table(), Where: []query.Condition{cond}}
	if !model.Cascades(r.ex, r.Table()) {
		return r.execStmt(ctx, "delete", stmt)
	}
	var n int64
	err := dialect.InTx(ctx, r.ex, func(tx dialect.Executor) error {
		rt := r.With(tx)
		rows, err := rt.Where(cond).All(ctx)
		if err != nil || len(rows) == 0 {
			return err
		}
		if err := model.Cascade(ctx, tx, r.Table(), rows); err != nil {
			return r.errorf("delete", err)
		}
		// The rows cascaded from go by their keys: cond may match other
		// rows now, as when it is a condition through a relation whose
		// rows the cascades just deleted.
		if _, err := rt.deleteRows(ctx, rows); err != nil {
			return err
		}
		// Every row matched is gone, some by a cascade from another (a
		// tree deleted whole), which the DELETE's own count leaves out on
		// SQLite: the rows matched are the rows deleted.
		n = int64(len(rows))
		return nil
	})
	return n, err
}

// deleteRows deletes rows by their keys: with one statement for a
// single-column key, one per row for a composite key.
func (r *Repo[T]) deleteRows(ctx context.Context, rows []*T) (int64, error) {
	pk := r.Table().PrimaryKey()
	if len(pk) == 1 {
		keys := make([]any, len(rows))
		for i, row := range rows {
			k, err := pk[0].Bind(r.s.Features(), row)
			if err != nil {
				return 0, r.errorf("delete", err)
			}
			keys[i] = k
		}
		where := query.In[T](pk[0].Bound(), keys)
		return r.execStmt(ctx, "delete", &query.Delete{From: r.Table(), Where: []query.Condition{where}})
	}
	var n int64
	for _, row := range rows {
		var where []query.Condition
		for _, f := range pk {
			k, err := f.Bind(r.s.Features(), row)
			if err != nil {
				return 0, r.errorf("delete", err)
			}
			where = append(where, query.Compare[T](f.Bound(), query.Eq, k))
		}
		m, err := r.execStmt(ctx, "delete", &query.Delete{From: r.Table(), Where: where})
		if err != nil {
			return 0, err
		}
		n += m
	}
	return n, nil
}

func (r *Repo[T]) execStmt(ctx context.Context, op string, stmt query.Statement) (int64, error) {
	sql, args, err := query.Render(r.ex.Dialect(), stmt)
	if err != nil {
		return 0, r.errorf(op, err)
	}
	n, err := r.ex.Exec(ctx, sql, args...)
	if err != nil {
		return 0, r.errorf(op, err)
	}
	return n, nil
}
