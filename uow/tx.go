package uow

import (
	"context"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/model"
	"github.com/genrepo/genrepo/relation"
)

// unitTx is the transaction Unit.Tx hands out: the unit's transaction (its
// savepoint inside Nested), whose loads go through the unit's identity map
// (relation.Identity), so that a repository or relation loader running on
// it returns the unit's own rows.
type unitTx struct{ u *Unit }

var (
	_ dialect.Tx        = unitTx{}
	_ dialect.Batcher   = unitTx{}
	_ relation.Identity = unitTx{}
	_ model.Bound       = unitTx{}
)

// Model returns the model of the handle the unit began on: repositories on
// the unit's transaction run its cascades.
func (t unitTx) Model() *model.Model { return t.u.model }

func (t unitTx) Dialect() dialect.Dialect { return t.u.tx.Dialect() }

func (t unitTx) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	return t.u.tx.Exec(ctx, sql, args...)
}

func (t unitTx) Query(ctx context.Context, sql string, args ...any) (dialect.Rows, error) {
	return t.u.tx.Query(ctx, sql, args...)
}

func (t unitTx) SendBatch(ctx context.Context, stmts []dialect.Statement) error {
	return dialect.SendBatch(ctx, t.u.tx, stmts)
}

func (t unitTx) Savepoint(ctx context.Context) (dialect.Tx, error) { return t.u.tx.Savepoint(ctx) }
func (t unitTx) Commit(ctx context.Context) error                  { return t.u.tx.Commit(ctx) }
func (t unitTx) Rollback(ctx context.Context) error                { return t.u.tx.Rollback(ctx) }

// Identify makes rows, just loaded from table s, the unit's, as Find does
// with the rows of its query: a row whose key the unit holds is replaced
// by the unit's own, and any other is tracked from then on. Rows of a table
// the unit has not met, which no followed relation has, are returned as
// they are: the unit holds none of its rows, and they can reach a flush
// only through Add or Delete, which start the unit's record of the table.
func (t unitTx) Identify(s mapped.Schema, rows []any) ([]any, error) {
	u := t.u
	if u.usable("load") != nil {
		// A failed or finished unit flushes nothing more: rows read
		// through its transaction (to see what is stored) cannot reach it.
		return rows, nil
	}
	tr, ok := trackerOf(u, s)
	if !ok {
		return rows, nil
	}
	out := make([]any, len(rows))
	seen := map[any]any{}
	for i, row := range rows {
		kept, err := u.absorb(tr, row, seen)
		if err != nil {
			return nil, err
		}
		out[i] = kept
	}
	return out, nil
}

// Loaded records field of row, which a loader running on the unit's
// transaction filled with what is stored, as the baseline of the followed
// relation it belongs to, when the unit holds row: a row taken out of a
// collection fetched so is then an orphan at the flush, as one taken out
// of a collection loaded by Find. Loaders fill only fields the unit's rows
// have not loaded (relation.Identity), so no change is lost.
func (t unitTx) Loaded(s mapped.Schema, row any, field any) {
	u := t.u
	tr, ok := u.tables[s]
	if !ok || u.usable("load") != nil {
		return
	}
	for _, e := range tr.followed() {
		ps, cs := e.schemas()
		if ps == s && e.fieldOf(row, false) == field {
			tr.relink(row, e)
		}
		if cs == s && e.fieldOf(row, true) == field {
			tr.relink(row, childSide{e})
		}
	}
}

// trackerOf returns the unit's record of s, starting one through a
// followed relation with s on either side (which knows s's row type), and
// false when no followed relation has s: rows of such a table cannot reach
// a flush except through the unit's own calls, which start its record.
func trackerOf(u *Unit, s mapped.Schema) (tracker, bool) {
	if tr, ok := u.tables[s]; ok {
		return tr, true
	}
	for _, e := range edgesOf(u, s) {
		ps, cs := e.schemas()
		switch s {
		case ps:
			return e.parentTable(u), true
		case cs:
			return e.childTable(u), true
		}
	}
	return nil, false
}
