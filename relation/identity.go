package relation

import (
	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/mapped"
)

// Identity is implemented by an executor that keeps one row per key of
// the tables it reads, as a unit of work's transaction does (uow.Unit.Tx).
// Loaders running on such an executor hand it the rows they load and put
// the rows it returns in their place, and so do repositories made on it,
// so that a load never gives the executor's owner a second copy of a row
// it holds.
type Identity interface {
	dialect.Executor
	// Identify returns, in order, the executor's own row for each of rows,
	// which are *T of the table t: the row it holds with the same key, or
	// the row itself, which it holds from then on.
	Identify(t mapped.Schema, rows []any) ([]any, error)
	// Loaded tells the executor that a loader filled field, the address
	// of a relation's field of row (a row of t), with what is stored:
	// what the field holds is the relation's stored state from then on.
	Loaded(t mapped.Schema, row any, field any)
}

// identityOf returns ex as an Identity, or nil when it is none; loaders
// ask once per Load.
func identityOf(ex dialect.Executor) Identity {
	id, _ := ex.(Identity)
	return id
}

// toFill splits rows, whose relation a loader is to load, into those whose
// field it fills and those it keeps as they are. On an Identity (id not
// nil), a row whose field is loaded already keeps it: the executor's owner
// loaded it, and may have changed it since (appended a row, taken one
// out), as a unit's Find keeps it. Otherwise every row is filled afresh.
func toFill[T any](id Identity, rows []*T, loaded func(*T) bool) (fill, kept []*T) {
	if id == nil {
		return rows, nil
	}
	for _, r := range rows {
		switch {
		case r == nil:
		case loaded(r):
			kept = append(kept, r)
		default:
			fill = append(fill, r)
		}
	}
	return fill, kept
}

// filled tells id, when there is one, that a loader filled field of row,
// a row of t, with what is stored.
func filled[T any](id Identity, t *mapped.Table[T], row *T, field any) {
	if id != nil {
		id.Loaded(t, row, field)
	}
}

// setBack sets back, the back pointer of row (a row of t), to to, and
// tells id it filled it; on an Identity it leaves a back pointer that
// points somewhere already: the executor's owner may have moved the row
// to another parent.
func setBack[R, T any](id Identity, t *mapped.Table[R], row *R, back **T, to *T) {
	if *back != nil && id != nil {
		return
	}
	*back = to
	filled(id, t, row, back)
}

// Identify returns rows, just loaded from table t through ex, with each row
// replaced by ex's own row with its key when ex is an Identity; otherwise
// rows as they are.
func Identify[T any](ex dialect.Executor, t *mapped.Table[T], rows []*T) ([]*T, error) {
	id, ok := ex.(Identity)
	if !ok || len(rows) == 0 {
		return rows, nil
	}
	in := make([]any, len(rows))
	for i, r := range rows {
		in[i] = r
	}
	out, err := id.Identify(t, in)
	if err != nil {
		return nil, err
	}
	kept := make([]*T, len(out))
	for i, r := range out {
		kept[i] = r.(*T)
	}
	return kept, nil
}

// identified returns all, rows of t just loaded through ex, as ex's own
// rows (see Identity), and a function giving the row kept for each loaded
// one; the function is nil when every row was kept as loaded.
func identified[T any](ex dialect.Executor, t *mapped.Table[T], all []*T) ([]*T, func(*T) *T, error) {
	kept, err := Identify(ex, t, all)
	if err != nil {
		return nil, nil, err
	}
	var to map[*T]*T
	for i, r := range kept {
		if r != all[i] {
			if to == nil {
				to = make(map[*T]*T)
			}
			to[all[i]] = r
		}
	}
	if to == nil {
		return all, nil, nil
	}
	return kept, func(r *T) *T {
		if k, ok := to[r]; ok {
			return k
		}
		return r
	}, nil
}

// keptAll returns rows with each replaced by kept's row, in a new slice;
// rows itself when kept is nil.
func keptAll[T any](rows []*T, kept func(*T) *T) []*T {
	if kept == nil || rows == nil {
		return rows
	}
	out := make([]*T, len(rows))
	for i, r := range rows {
		out[i] = kept(r)
	}
	return out
}
