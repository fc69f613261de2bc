package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/internal/checks"
	"github.com/genrepo/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/mapped"
	"github.com/genrepo/genrepo/query"
)

// vnote is a versioned row: a generated key, a text column and a version
// column.
type vnote struct {
	ID      int64
	Title   string
	Version int64
}

type vnoteTable struct {
	*mapped.Table[vnote]
	ID      mapped.Column[vnote, int64]
	Title   mapped.TextColumn[vnote, string]
	Version mapped.Column[vnote, int64]
}

var vnotes = mapped.Define("store_vnote", func(t *mapped.Table[vnote], n *vnote) vnoteTable {
	return vnoteTable{
		Table:   t,
		ID:      mapped.PrimaryKey(t, &n.ID),
		Title:   mapped.Text(t, &n.Title),
		Version: mapped.Col(t, &n.Version, mapped.Version()),
	}
})

// A prepared write of a row that cannot be written (nil, or without a
// key where a stored row's key is needed) is refused with an error naming
// the repository's operation and the table, never a panic; nothing is
// bound into a statement.
func TestPrepareRefuses(t *testing.T) {
	t.Parallel()
	d := sqlite.Dialect()
	s := New(vnotes.Table, d.Features())
	cases := []struct {
		name, want string
		is         error
		call       func() error
	}{
		{"PrepareInsert with a nil row", "repo: insert store_vnote: row 1: nil row", ErrNilRow, func() error {
			_, err := s.PrepareInsert(d, []*vnote{{Title: "a"}, nil})
			return err
		}},
		{"PrepareUpdate of a nil row", "repo: update store_vnote: nil row", ErrNilRow, func() error {
			_, err := s.PrepareUpdate(d, nil)
			return err
		}},
		{"PrepareUpdate of a row never inserted", "repo: update store_vnote: missing or zero primary key: id is zero", ErrNoKey, func() error {
			_, err := s.PrepareUpdate(d, &vnote{Title: "a"})
			return err
		}},
		{"PrepareUpdate of a key column", "repo: update store_vnote: cannot update key column id", nil, func() error {
			_, err := s.PrepareUpdate(d, &vnote{ID: 1}, vnotes.ID)
			return err
		}},
		{"PrepareDelete of a nil row", "repo: delete store_vnote: nil row", ErrNilRow, func() error {
			_, err := s.PrepareDelete(d, nil)
			return err
		}},
		{"PrepareDelete of a row never inserted", "repo: delete store_vnote: missing or zero primary key: id is zero", ErrNoKey, func() error {
			_, err := s.PrepareDelete(d, &vnote{})
			return err
		}},
	}
	for _, c := range cases {
		checks.Refuses(t, c.name, c.want, c.call)
		if err := c.call(); c.is != nil && !errors.Is(err, c.is) {
			t.Errorf("%s: %v, want it to match %v", c.name, err, c.is)
		}
	}
}

// Prepared inserts, updates and deletes sent as a batch write what the
// repository's own calls write; a prepared insert rolled back is undone;
// Explain tells a stale row from one gone, and says when it cannot.
func TestPreparedWrites(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		if err := mapped.CreateAll(ctx, db, vnotes.Table); err != nil {
			t.Fatal(err)
		}
		d := db.Dialect()
		s := New(vnotes.Table, d.Features())
		send := func(st dialect.Statement, err error) error {
			if err != nil {
				t.Fatal(err)
			}
			return dialect.SendBatch(ctx, db, []dialect.Statement{st})
		}

		a, b := &vnote{Title: "a"}, &vnote{Title: "b"}
		p, err := s.PrepareInsert(d, []*vnote{a, b})
		if err != nil {
			t.Fatal(err)
		}
		if err := dialect.SendBatch(ctx, db, p.Statements); err != nil {
			t.Fatalf("insert: %v", err)
		}
		if a.ID == 0 || b.ID <= a.ID || a.Version != 1 || b.Version != 1 {
			t.Fatalf("inserted %+v and %+v; want rising keys at version 1", *a, *b)
		}

		// Rolled back and undone: the key read back is cleared again.
		c := &vnote{Title: "c"}
		p, err = s.PrepareInsert(d, []*vnote{c})
		if err != nil {
			t.Fatal(err)
		}
		errRollback := errors.New("roll back")
		err = dialect.InTx(ctx, db, func(tx dialect.Executor) error {
			if err := dialect.SendBatch(ctx, tx, p.Statements); err != nil {
				return err
			}
			if c.ID == 0 {
				t.Error("insert in a transaction: no key read back")
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("InTx: %v, want %v", err, errRollback)
		}
		p.Undo()
		if c.ID != 0 {
			t.Errorf("after Undo the rolled-back row has key %d, want 0", c.ID)
		}

		stale := *a
		a.Title = "a2"
		if err := send(s.PrepareUpdate(d, a, vnotes.Title)); err != nil {
			t.Fatalf("update: %v", err)
		}
		if a.Version != 2 {
			t.Errorf("after the update the row is at version %d, want 2", a.Version)
		}
		if got, err := s.Get(ctx, db, []any{a.ID}); err != nil || got == nil || got.Title != "a2" || got.Version != 2 {
			t.Errorf("stored %+v (error %v), want title a2 at version 2", got, err)
		}

		// The copy read before the update is stale; once deleted, b is gone.
		for _, w := range []struct {
			name, op string
			prep     func() (dialect.Statement, error)
			want     error
		}{
			{"update of a stale row", "update", func() (dialect.Statement, error) { return s.PrepareUpdate(d, &stale) }, ErrStale},
			{"delete of a stale row", "delete", func() (dialect.Statement, error) { return s.PrepareDelete(d, &stale) }, ErrStale},
			{"delete", "delete", func() (dialect.Statement, error) { return s.PrepareDelete(d, b) }, nil},
			{"delete of a deleted row", "delete", func() (dialect.Statement, error) { return s.PrepareDelete(d, b) }, query.ErrNotFound},
			{"update of a deleted row", "update", func() (dialect.Statement, error) { return s.PrepareUpdate(d, b) }, query.ErrNotFound},
		} {
			err := Explain(ctx, db, send(w.prep()))
			switch {
			case w.want == nil && err != nil:
				t.Errorf("%s: %v", w.name, err)
			case w.want == nil:
			case !errors.Is(err, w.want):
				t.Errorf("%s: %v, want it to match %v", w.name, err, w.want)
			case w.want == ErrStale && errors.Is(err, query.ErrNotFound), w.want == query.ErrNotFound && errors.Is(err, ErrStale):
				t.Errorf("%s: %v matches both ErrStale and ErrNotFound", w.name, err)
			case !strings.HasPrefix(err.Error(), "repo: "+w.op+" store_vnote: "):
				t.Errorf("%s: %q, want it to name the operation and the table", w.name, err)
			}
		}

		// When the SELECT that tells why fails, the failure is joined to
		// the statement's error.
		unmatchedErr := send(s.PrepareUpdate(d, &stale))
		err = Explain(ctx, failingQuery{db}, unmatchedErr)
		if !errors.Is(err, errQuery) || !strings.Contains(err.Error(), "cannot tell a stale row from a deleted one") ||
			!strings.Contains(err.Error(), "at version 1") {
			t.Errorf("Explain with a failing SELECT: %v; want the statement's error joined to the SELECT's", err)
		}
		other := errors.New("other")
		if err := Explain(ctx, db, other); err != other {
			t.Errorf("Explain(other) = %v, want it returned as it is", err)
		}
	})
}

var errQuery = errors.New("query refused")

// failingQuery is an executor whose queries fail.
type failingQuery struct{ dialect.Executor }

func (failingQuery) Query(context.Context, string, ...any) (dialect.Rows, error) {
	return nil, errQuery
}
