package dialect_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
)

// plain hides an executor's SendBatch, so that dialect.SendBatch runs its
// statements one after another.
type plain struct{ dialect.Executor }

func createBatched(t *testing.T, ex dialect.Executor, table string) {
	t.Helper()
	mustExec(t, ex, "CREATE TABLE "+table+
		" (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL UNIQUE, n INTEGER NOT NULL)")
}

func insertStmt(ex dialect.Executor, table string, id int, name string, n int) dialect.Statement {
	return dialect.Statement{
		SQL:  "INSERT INTO " + table + " (id, name, n) VALUES (" + ph(ex, 1) + ", " + ph(ex, 2) + ", " + ph(ex, 3) + ")",
		Args: []any{id, name, n},
	}
}

// returningID is an INSERT … RETURNING id whose id is appended to ids.
func returningID(ex dialect.Executor, table string, id int, name string, n int, ids *[]int64) dialect.Statement {
	st := insertStmt(ex, table, id, name, n)
	st.SQL += " RETURNING id"
	st.Rows = func(r dialect.Rows) error {
		if !r.Next() {
			return errors.New("no id returned")
		}
		var id int64
		if err := r.Scan(&id); err != nil {
			return err
		}
		*ids = append(*ids, id)
		return r.Err()
	}
	return st
}

// TestSendBatch runs a batch mixing inserts with RETURNING, updates and a
// query on every kind of executor, natively and one statement after
// another, and checks each callback got its own statement's result, in
// order.
func TestSendBatch(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Release()
		// The transaction is begun only after the other executors ran:
		// SQLite's write transaction would lock them out.
		var tx, sp dialect.Tx
		begin := func() {
			if tx, err = db.Begin(ctx, dialect.TxOptions{}); err != nil {
				t.Fatal(err)
			}
			if sp, err = tx.Savepoint(ctx); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			name string
			ex   func() dialect.Executor
		}{
			{"db", func() dialect.Executor { return db }},
			{"conn", func() dialect.Executor { return conn }},
			{"db_plain", func() dialect.Executor { return plain{db} }},
			{"tx", func() dialect.Executor { begin(); return tx }},
			{"savepoint", func() dialect.Executor { return sp }},
			{"tx_plain", func() dialect.Executor { return plain{tx} }},
		} {
			ex := c.ex()
			t.Run(c.name, func(t *testing.T) {
				table := "batched_" + c.name
				createBatched(t, ex, table)
				var order []string
				var ids []int64
				var affected []int64
				var count, sum int64
				done := func(step string) func(int64) error {
					return func(n int64) error {
						order = append(order, step)
						affected = append(affected, n)
						return nil
					}
				}
				ins1 := returningID(ex, table, 1, "a", 10, &ids)
				inner := ins1.Rows
				ins1.Rows = func(r dialect.Rows) error { order = append(order, "insert a"); return inner(r) }
				ins2 := returningID(ex, table, 2, "b", 20, &ids)
				inner2 := ins2.Rows
				ins2.Rows = func(r dialect.Rows) error { order = append(order, "insert b"); return inner2(r) }
				ins3 := insertStmt(ex, table, 3, "c", 30)
				ins3.Done = done("insert c")
				stmts := []dialect.Statement{
					ins1,
					ins2,
					ins3,
					{SQL: "UPDATE " + table + " SET n = n + 1 WHERE id <= " + ph(ex, 1), Args: []any{2}, Done: done("update")},
					{SQL: "UPDATE " + table + " SET n = 0 WHERE name = " + ph(ex, 1), Args: []any{"missing"}, Done: done("update none")},
					{SQL: "DELETE FROM " + table + " WHERE id = 3"}, // neither callback
					{SQL: "SELECT COUNT(*), SUM(n) FROM " + table, Rows: func(r dialect.Rows) error {
						order = append(order, "select")
						if !r.Next() {
							return errors.New("no row")
						}
						return r.Scan(&count, &sum)
					}},
				}
				if err := dialect.SendBatch(ctx, ex, stmts); err != nil {
					t.Fatal(err)
				}
				wantOrder := []string{"insert a", "insert b", "insert c", "update", "update none", "select"}
				if !slices.Equal(order, wantOrder) {
					t.Errorf("callbacks ran in order %q, want %q", order, wantOrder)
				}
				if !slices.Equal(ids, []int64{1, 2}) {
					t.Errorf("returned ids %v, want [1 2]", ids)
				}
				if !slices.Equal(affected, []int64{1, 2, 0}) {
					t.Errorf("affected counts %v, want [1 2 0]", affected)
				}
				if count != 2 || sum != 32 {
					t.Errorf("select saw count %d, sum %d; want 2, 32", count, sum)
				}
				if got := names(t, ex, table); !slices.Equal(got, []string{"a", "b"}) {
					t.Errorf("stored %q, want [a b]", got)
				}
			})
		}
		if err := sp.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSendBatchEmpty(t *testing.T) {
	t.Parallel()
	eachHooked(t, func(t *testing.T, db dialect.DB, r *recorder) {
		ctx := context.Background()
		for _, ex := range []dialect.Executor{db, plain{db}} {
			if err := dialect.SendBatch(ctx, ex, nil); err != nil {
				t.Errorf("nil batch: %v", err)
			}
			if err := dialect.SendBatch(ctx, ex, []dialect.Statement{}); err != nil {
				t.Errorf("empty batch: %v", err)
			}
		}
		if b, ok := db.(dialect.Batcher); ok {
			if err := b.SendBatch(ctx, nil); err != nil {
				t.Errorf("Batcher.SendBatch of nil: %v", err)
			}
		}
		if ev := r.take(); len(ev) != 0 {
			t.Errorf("empty batches reported %v, want no event", ev)
		}
	})
}

// TestSendBatchConstraint checks that a statement failing in the middle of
// a batch returns a *ConstraintError, that no later callback runs, and that
// rolling back the transaction leaves nothing stored.
func TestSendBatchConstraint(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		createBatched(t, db, "batched")
		for _, c := range []struct {
			name  string
			plain bool
			rows  bool // the failing statement is an INSERT … RETURNING
		}{
			{"exec", false, false}, {"rows", false, true},
			{"plain_exec", true, false}, {"plain_rows", true, true},
		} {
			t.Run(c.name, func(t *testing.T) {
				tx, err := db.Begin(ctx, dialect.TxOptions{})
				if err != nil {
					t.Fatal(err)
				}
				defer tx.Rollback(ctx)
				var ex dialect.Executor = tx
				if c.plain {
					ex = plain{tx}
				}
				var ids []int64
				var later bool
				dup := insertStmt(ex, "batched", 2, "a", 0)
				if c.rows {
					dup = returningID(ex, "batched", 2, "a", 0, &ids)
				}
				last := insertStmt(ex, "batched", 3, "c", 0)
				last.Done = func(int64) error { later = true; return nil }
				err = dialect.SendBatch(ctx, ex, []dialect.Statement{
					returningID(ex, "batched", 1, "a", 0, &ids),
					dup,
					last,
				})
				if !errors.Is(err, dialect.ErrUnique) {
					t.Fatalf("batch with a duplicate = %v, want ErrUnique", err)
				}
				var ce *dialect.ConstraintError
				if !errors.As(err, &ce) {
					t.Errorf("error %T is no *ConstraintError", err)
				}
				if later {
					t.Error("the callback of a statement after the failing one ran")
				}
				if !slices.Equal(ids, []int64{1}) {
					t.Errorf("ids %v, want [1]", ids)
				}
				if err := tx.Rollback(ctx); err != nil {
					t.Fatalf("rollback: %v", err)
				}
				if got := names(t, db, "batched"); len(got) != 0 {
					t.Errorf("rolled-back batch stored %q", got)
				}
			})
		}

		// In a savepoint: rolling it back keeps the transaction going.
		tx, err := db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		mustExec(t, tx, insertStmt(tx, "batched", 1, "kept", 0).SQL, 1, "kept", 0)
		sp, err := tx.Savepoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		err = dialect.SendBatch(ctx, sp, []dialect.Statement{
			insertStmt(sp, "batched", 2, "undone", 0),
			insertStmt(sp, "batched", 3, "kept", 0),
		})
		if !errors.Is(err, dialect.ErrUnique) {
			t.Fatalf("savepoint batch = %v, want ErrUnique", err)
		}
		if err := sp.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if got := names(t, db, "batched"); !slices.Equal(got, []string{"kept"}) {
			t.Errorf("stored %q, want [kept]", got)
		}
		mustExec(t, db, "DELETE FROM batched")

		// Outside a transaction, PostgreSQL runs the batch as one implicit
		// transaction, undone as a whole; one after another, the statements
		// before the failing one stand.
		for _, ex := range []dialect.Executor{db, plain{db}} {
			err := dialect.SendBatch(ctx, ex, []dialect.Statement{
				insertStmt(ex, "batched", 1, "first", 0),
				insertStmt(ex, "batched", 2, "first", 0),
			})
			if !errors.Is(err, dialect.ErrUnique) {
				t.Fatalf("batch = %v, want ErrUnique", err)
			}
			_, native := ex.(dialect.Batcher)
			want := []string{"first"}
			if native {
				want = nil
			}
			if got := names(t, db, "batched"); !slices.Equal(got, want) {
				t.Errorf("%T: stored %q after a failed batch outside a transaction, want %q", ex, got, want)
			}
			mustExec(t, db, "DELETE FROM batched")
		}
	})
}

var errStop = errors.New("callback stops the batch")

// TestSendBatchCallbackError checks that a callback's error is returned,
// that no later callback runs, and that the executor stays usable.
func TestSendBatchCallbackError(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		createBatched(t, db, "batched")
		batch := func(ex dialect.Executor, inRows bool) (err error, later bool) {
			first := insertStmt(ex, "batched", 1, "a", 0)
			if inRows {
				first.SQL += " RETURNING id"
				first.Rows = func(dialect.Rows) error { return errStop } // rows left unread
			} else {
				first.Done = func(int64) error { return errStop }
			}
			second := insertStmt(ex, "batched", 2, "b", 0)
			second.Done = func(int64) error { later = true; return nil }
			err = dialect.SendBatch(ctx, ex, []dialect.Statement{
				first,
				second,
				{SQL: "SELECT name FROM batched", Rows: func(dialect.Rows) error { later = true; return nil }},
			})
			return err, later
		}
		check := func(t *testing.T, err error, later bool) {
			t.Helper()
			if !errors.Is(err, errStop) {
				t.Errorf("batch = %v, want the callback's error", err)
			}
			if later {
				t.Error("a callback after the failing one ran")
			}
		}

		for _, inRows := range []bool{false, true} {
			tx, err := db.Begin(ctx, dialect.TxOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for _, ex := range []dialect.Executor{tx, plain{tx}} {
				err, later := batch(ex, inRows)
				check(t, err, later)
				// The transaction is still usable.
				mustExec(t, tx, "DELETE FROM batched")
			}
			if err := tx.Rollback(ctx); err != nil {
				t.Fatalf("rollback: %v", err)
			}
			if got := names(t, db, "batched"); len(got) != 0 {
				t.Errorf("rolled-back batch stored %q", got)
			}

			conn, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, ex := range []dialect.Executor{conn, plain{conn}} {
				err, later := batch(ex, inRows)
				check(t, err, later)
				if n := testdb.Scalar[int64](t, conn, "SELECT COUNT(*) FROM batched WHERE name = 'a'"); n != 1 {
					t.Errorf("%T: %d rows named a, want 1", ex, n)
				}
				mustExec(t, conn, "DELETE FROM batched")
			}
			conn.Release()
		}

		// Neither errors nor panics in callbacks keep the pool's
		// connections (the test pool has four).
		for range 10 {
			err, _ := batch(db, true)
			if !errors.Is(err, errStop) {
				t.Fatalf("batch = %v, want the callback's error", err)
			}
			mustExec(t, db, "DELETE FROM batched")
			func() {
				defer func() {
					if p := recover(); p != "boom" {
						t.Errorf("recovered %v, want the callback's panic", p)
					}
				}()
				_ = dialect.SendBatch(ctx, db, []dialect.Statement{
					{SQL: "SELECT 1", Rows: func(dialect.Rows) error { panic("boom") }},
					{SQL: "SELECT 2"},
				})
			}()
		}
		if n := testdb.Scalar[int64](t, db, "SELECT COUNT(*) FROM batched"); n != 0 {
			t.Errorf("%d rows left, want 0", n)
		}
	})
}

// TestSendBatchHook checks that a Batcher reports a batch as one event,
// and that statements run one after another are reported one by one.
func TestSendBatchHook(t *testing.T) {
	t.Parallel()
	eachHooked(t, func(t *testing.T, db dialect.DB, r *recorder) {
		ctx := context.Background()
		createBatched(t, db, "batched")
		r.take()
		_, native := db.(dialect.Batcher)
		if want := db.Dialect().Name() == "postgres"; native != want {
			t.Errorf("%s DB is a Batcher: %v, want %v", db.Dialect().Name(), native, want)
		}

		stmts := func(ex dialect.Executor, dup bool) []dialect.Statement {
			second := insertStmt(ex, "batched", 2, "b", 0)
			if dup {
				second = insertStmt(ex, "batched", 1, "a", 0)
			}
			return []dialect.Statement{
				insertStmt(ex, "batched", 1, "a", 0),
				second,
				{SQL: "SELECT name FROM batched", Rows: func(dialect.Rows) error { return nil }},
			}
		}
		one := func(st dialect.Statement) wantEvent {
			op := dialect.OpExec
			if st.Rows != nil {
				op = dialect.OpQuery
			}
			return wantEvent{op: op, sql: st.SQL, args: len(st.Args)}
		}

		for _, ex := range []dialect.Executor{db, plain{db}} {
			s := stmts(ex, false)
			if err := dialect.SendBatch(ctx, ex, s); err != nil {
				t.Fatal(err)
			}
			if _, ok := ex.(dialect.Batcher); ok {
				sqls := []string{s[0].SQL, s[1].SQL, s[2].SQL}
				checkEvents(t, "batch", r.take(),
					wantEvent{op: dialect.OpBatch, sql: strings.Join(sqls, ";\n"), args: 6})
			} else {
				checkEvents(t, "plain batch", r.take(), one(s[0]), one(s[1]), one(s[2]))
			}
			mustExec(t, db, "DELETE FROM batched")
			r.take()

			s = stmts(ex, true)
			if err := dialect.SendBatch(ctx, ex, s); !errors.Is(err, dialect.ErrUnique) {
				t.Fatalf("batch = %v, want ErrUnique", err)
			}
			if _, ok := ex.(dialect.Batcher); ok {
				sqls := []string{s[0].SQL, s[1].SQL, s[2].SQL}
				checkEvents(t, "failed batch", r.take(),
					wantEvent{op: dialect.OpBatch, sql: strings.Join(sqls, ";\n"), args: 6, err: true})
			} else {
				failed := one(s[1])
				failed.err = true
				checkEvents(t, "failed plain batch", r.take(), one(s[0]), failed)
			}
			mustExec(t, db, "DELETE FROM batched")
			r.take()
		}
		if got := dialect.OpBatch.String(); got != "batch" {
			t.Errorf("OpBatch.String() = %q, want batch", got)
		}
	})
}
