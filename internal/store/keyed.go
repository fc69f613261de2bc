package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/errs"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
)

// Keyed is an UPDATE or DELETE of one row by its key (and version), bound
// and rendered but not sent: UpdateOf and DeleteOf make one, Run sends it,
// and Statement hands it to a caller that sends several writes together.
type Keyed[T any] struct {
	s        *Table[T]
	op       string
	sql      string
	args     []any
	keys     []any // the key's arguments, a part of args
	row      *T
	version  int64 // the version matched, on a versioned table
	versions bool  // whether a match bumps the row's version
}

// done is what follows the statement's run: n rows matched.
func (k Keyed[T]) done(n int64) error {
	if n == 0 {
		return k.s.noMatch(k.op, k.keys, k.row)
	}
	if k.versions {
		k.s.t.Version().SetVersion(k.row, k.version+1)
	}
	return nil
}

// Statement returns k for dialect.SendBatch. When it has run, its Done
// callback increments a version column's field, or returns an error when
// it matched no row; pass that error to Explain to learn whether the row
// is gone (ErrNotFound) or was changed meanwhile (ErrStale).
func (k *Keyed[T]) Statement() dialect.Statement {
	// The callback holds a copy of k: one allocation, where a method
	// value of k would move k itself to the heap as well.
	c := *k
	return dialect.Statement{SQL: k.sql, Args: k.args, Done: func(n int64) error { return c.done(n) }}
}

// Run sends k on ex, its failure to match a row explained (Explain), and
// on success increments a version column's field. Its errors are the
// operation's ("repo: update note: …").
func (k *Keyed[T]) Run(ctx context.Context, ex dialect.Executor) error {
	n, err := ex.Exec(ctx, k.sql, k.args...)
	switch {
	case err != nil:
		return k.s.Errorf(k.op, err)
	case n == 0:
		return Explain(ctx, ex, k.s.noMatch(k.op, k.keys, k.row))
	case k.versions:
		k.s.t.Version().SetVersion(k.row, k.version+1)
	}
	return nil
}

// PrepareUpdate is UpdateOf's statement (Keyed.Statement), for a caller
// that sends several writes together (the unit of work's flush).
func (s *Table[T]) PrepareUpdate(d dialect.Dialect, row *T, cols ...mapped.AnyColumn[T]) (dialect.Statement, error) {
	k, err := s.UpdateOf(d, row, cols)
	if err != nil {
		return dialect.Statement{}, err
	}
	return k.Statement(), nil
}

// UpdateOf binds the UPDATE of row's cols (every column but the key when
// cols is empty), rendered for d, matching row's version on a versioned
// table and bumping it (see repo.Repo.Update). Its errors are the
// operation "update"'s: ErrNilRow, ErrNoKey for a zero key, a key column
// among cols.
func (s *Table[T]) UpdateOf(d dialect.Dialect, row *T, cols []mapped.AnyColumn[T]) (Keyed[T], error) {
	if row == nil {
		return Keyed[T]{}, s.Errorf("update", ErrNilRow)
	}
	var buf [8]*mapped.Field[T]
	set, mask, setErr := s.updateSet(cols, buf[:0])
	ver := s.t.Version()
	// The arguments: the columns set, then the key, then the version.
	nk := len(s.t.PrimaryKey())
	args := make([]any, len(set)+nk, len(set)+nk+1)
	keys := args[len(set):]
	if err := s.BindKey(keys, row, false); err != nil {
		return Keyed[T]{}, s.Errorf("update", err)
	}
	if setErr != nil {
		return Keyed[T]{}, s.Errorf("update", setErr)
	}
	for i, f := range set {
		a, err := f.Bind(s.f, row)
		if err != nil {
			return Keyed[T]{}, s.Errorf("update", err)
		}
		args[i] = a
	}
	k := Keyed[T]{s: s, op: "update", keys: keys, row: row, versions: ver != nil}
	if ver != nil {
		// Refused before anything is sent: the stored version would
		// overflow the field, and the row could no longer be read.
		if _, err := ver.NextVersion(row); err != nil {
			return Keyed[T]{}, s.Errorf("update", err)
		}
		k.version = ver.VersionOf(row)
		args = append(args, k.version)
	}
	k.args = args
	sql, err := s.cache.text(shape{op: 'U', mask: mask}, true, func() (string, error) {
		b := query.NewBuilder(d)
		b.WriteString("UPDATE ")
		b.Table(s.t)
		b.WriteString(" SET ")
		for i, f := range set {
			if i > 0 {
				b.WriteString(", ")
			}
			b.Ident(f.Name())
			b.WriteString(" = ")
			b.Bind(args[i])
		}
		if ver != nil {
			if len(set) > 0 {
				b.WriteString(", ")
			}
			b.Ident(ver.Name())
			b.WriteString(" = ")
			b.Ident(ver.Name())
			b.WriteString(" + 1")
		}
		appendKeyWhere(b, s.t.PrimaryKey(), keys)
		appendVersionWhere(b, ver, args)
		return b.SQL(), b.Err()
	})
	if err != nil {
		return Keyed[T]{}, s.Errorf("update", err)
	}
	k.sql = sql
	return k, nil
}

// appendVersionWhere adds the match on the version column ver, bound to
// the last of args, when the table has one.
func appendVersionWhere[T any](b *query.Builder, ver *mapped.Field[T], args []any) {
	if ver == nil {
		return
	}
	b.WriteString(" AND ")
	b.Ident(ver.Name())
	b.WriteString(" = ")
	b.Bind(args[len(args)-1])
}

// updateSet returns the columns an Update of cols sets (every column but
// the key when cols is empty), appended to buf when they are chosen, and
// their mask, or why they cannot be set.
func (s *Table[T]) updateSet(cols []mapped.AnyColumn[T], buf []*mapped.Field[T]) ([]*mapped.Field[T], uint64, error) {
	if len(cols) == 0 {
		set := s.nonKey()
		if len(set) == 0 && s.t.Version() == nil {
			return nil, 0, fmt.Errorf("no column to update: every column is part of the key")
		}
		// The mask names exactly the columns set, as for chosen columns:
		// it keys the statement's text, which must never be shared with
		// an UPDATE of other columns (of the version column alone, say).
		var mask uint64
		for _, f := range set {
			mask |= 1 << f.Info().Pos
		}
		return set, mask, nil
	}
	var mask uint64
	for _, c := range cols {
		f := c.Field()
		if f.Info().PrimaryKey {
			return nil, 0, fmt.Errorf("cannot update key column %s; delete and insert instead", f.Name())
		}
		if f.Info().Version {
			continue // bumped by the statement itself
		}
		mask |= 1 << f.Info().Pos
	}
	// The columns are set in the table's order, each once, whatever order
	// cols name them in: the mask, which keys the statement's text, then
	// says everything the text depends on.
	set := buf[:0]
	for i, f := range s.t.Fields() {
		if mask&(1<<i) != 0 {
			set = append(set, f)
		}
	}
	return set, mask, nil
}

// noMatch is the error of a statement on the row with row's key (keys,
// bound) that matched no row: ErrNotFound, or, on a table with a version
// column, an error that Explain resolves into ErrStale or ErrNotFound.
func (s *Table[T]) noMatch(op string, keys []any, row *T) error {
	what := rowKey(s.t.PrimaryKey(), row)
	ver := s.t.Version()
	if ver == nil {
		return s.Errorf(op, errs.Errorf("%w: no row with %s", query.ErrNotFound, what))
	}
	version := ver.VersionOf(row)
	return &unmatched{msg: s.Errorf(op, fmt.Errorf("no row with %s at version %d", what, version)).Error(),
		explain: func(ctx context.Context, ex dialect.Executor) error {
			found, err := s.on(ex.Dialect()).keyExists(ctx, ex, keys)
			switch {
			case err != nil:
				return &explainError{err}
			case found:
				return s.Errorf(op, errs.Errorf("%w: %s at version %d", ErrStale, what, version))
			}
			return s.Errorf(op, errs.Errorf("%w: no row with %s", query.ErrNotFound, what))
		}}
}

// on returns s when d has s's features, and otherwise a Table of its own
// for d's, so that no text rendered under other features is reused.
func (s *Table[T]) on(d dialect.Dialect) *Table[T] {
	if f := d.Features(); f != s.f {
		return New(s.t, f)
	}
	return s
}

// unmatched is the error of a prepared UPDATE or DELETE of a versioned row
// that matched no row, before Explain tells why.
type unmatched struct {
	msg     string
	explain func(ctx context.Context, ex dialect.Executor) error
}

func (e *unmatched) Error() string { return e.msg }

// Explain returns err with the failure of a prepared UPDATE or DELETE
// (Keyed.Statement) of a row of a versioned table that matched no row
// resolved, by a SELECT of its key on ex (the transaction the statement
// ran in): ErrStale when a row with the key is stored with another
// version, query.ErrNotFound when none is. When that SELECT fails (the
// transaction was aborted by a later statement of the batch, say), err is
// returned joined to its failure, so the errors it carries stay
// reachable. Any other error is returned as it is.
func Explain(ctx context.Context, ex dialect.Executor, err error) error {
	var u *unmatched
	if !errors.As(err, &u) {
		return err
	}
	var failed *explainError
	if why := u.explain(ctx, ex); !errors.As(why, &failed) {
		return why
	}
	return errors.Join(err, failed)
}

// explainError is the failure of the SELECT that Explain runs.
type explainError struct{ err error }

func (e *explainError) Error() string {
	return "repo: cannot tell a stale row from a deleted one: " + e.err.Error()
}
func (e *explainError) Unwrap() error { return e.err }

// keyExists reports whether a stored row has the key keys (bound).
func (s *Table[T]) keyExists(ctx context.Context, ex dialect.Executor, keys []any) (bool, error) {
	sql, err := s.cache.text(shape{op: 'k'}, true, func() (string, error) {
		b := query.NewBuilder(ex.Dialect())
		b.WriteString("SELECT 1 FROM ")
		b.Table(s.t)
		appendKeyWhere(b, s.t.PrimaryKey(), keys)
		return b.SQL(), b.Err()
	})
	if err != nil {
		return false, err
	}
	res, err := ex.Query(ctx, sql, keys...)
	if err != nil {
		return false, err
	}
	defer res.Close()
	found := res.Next()
	return found, res.Close()
}

// PrepareDelete is DeleteOf's statement (Keyed.Statement), for a caller
// that sends several writes together and runs the model's cascades for
// the rows first.
func (s *Table[T]) PrepareDelete(d dialect.Dialect, row *T) (dialect.Statement, error) {
	k, err := s.DeleteOf(d, row)
	if err != nil {
		return dialect.Statement{}, err
	}
	return k.Statement(), nil
}

// DeleteOf binds the DELETE of row by its key (and version), rendered for
// d, without cascades. Its errors are the operation "delete"'s: ErrNilRow,
// ErrNoKey for a zero key.
func (s *Table[T]) DeleteOf(d dialect.Dialect, row *T) (Keyed[T], error) {
	if row == nil {
		return Keyed[T]{}, s.Errorf("delete", ErrNilRow)
	}
	keys, err := s.keyArgs(row)
	if err != nil {
		return Keyed[T]{}, s.Errorf("delete", err)
	}
	k := Keyed[T]{s: s, op: "delete", args: keys, keys: keys, row: row}
	ver := s.t.Version()
	if ver != nil {
		k.version = ver.VersionOf(row)
		k.args = append(keys[:len(keys):len(keys)], k.version)
	}
	k.sql, err = s.cache.text(shape{op: 'd'}, true, func() (string, error) {
		b := query.NewBuilder(d)
		b.WriteString("DELETE FROM ")
		b.Table(s.t)
		appendKeyWhere(b, s.t.PrimaryKey(), keys)
		appendVersionWhere(b, ver, k.args)
		return b.SQL(), b.Err()
	})
	if err != nil {
		return Keyed[T]{}, s.Errorf("delete", err)
	}
	return k, nil
}
