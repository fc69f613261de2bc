package dialect_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
)

func createItems(t testing.TB, ex dialect.Executor) {
	t.Helper()
	mustExec(t, ex, "CREATE TABLE item (name VARCHAR(20) PRIMARY KEY)")
}

func insertItem(t testing.TB, ex dialect.Executor, name string) {
	t.Helper()
	mustExec(t, ex, "INSERT INTO item (name) VALUES ("+ph(ex, 1)+")", name)
}

func wantItems(t testing.TB, ex dialect.Executor, want ...string) {
	t.Helper()
	if got := names(t, ex, "item"); !slices.Equal(got, want) {
		t.Errorf("items = %q, want %q", got, want)
	}
}

func TestTxCommitAndRollback(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		createItems(t, db)

		tx, err := db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		insertItem(t, tx, "kept")
		wantItems(t, tx, "kept")
		if err := tx.Commit(ctx); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		wantItems(t, db, "kept")

		tx, err = db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		insertItem(t, tx, "undone")
		wantItems(t, tx, "kept", "undone")
		if err := tx.Rollback(ctx); err != nil {
			t.Fatalf("Rollback: %v", err)
		}
		wantItems(t, db, "kept")
	})
}

func TestTxDone(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		createItems(t, db)
		tests := []struct {
			name         string
			first, again func(dialect.Tx, context.Context) error
		}{
			{"rollback after commit", dialect.Tx.Commit, dialect.Tx.Rollback},
			{"commit after commit", dialect.Tx.Commit, dialect.Tx.Commit},
			{"commit after rollback", dialect.Tx.Rollback, dialect.Tx.Commit},
			{"rollback after rollback", dialect.Tx.Rollback, dialect.Tx.Rollback},
		}
		for _, tt := range tests {
			tx, err := db.Begin(ctx, dialect.TxOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.first(tx, ctx); err != nil {
				t.Fatalf("%s: first: %v", tt.name, err)
			}
			if err := tt.again(tx, ctx); !errors.Is(err, dialect.ErrTxDone) {
				t.Errorf("%s: got %v, want ErrTxDone", tt.name, err)
			}
		}
		// Statements on a finished transaction or savepoint are refused
		// with ErrTxDone, and do not run in whatever encloses it.
		for _, end := range []struct {
			name string
			fn   func(dialect.Tx, context.Context) error
		}{{"commit", dialect.Tx.Commit}, {"rollback", dialect.Tx.Rollback}} {
			tx, err := db.Begin(ctx, dialect.TxOptions{})
			if err != nil {
				t.Fatal(err)
			}
			sp, err := tx.Savepoint(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := end.fn(sp, ctx); err != nil {
				t.Fatalf("savepoint %s: %v", end.name, err)
			}
			for _, done := range []struct {
				what string
				tx   dialect.Tx
			}{{"savepoint", sp}, {"transaction", tx}} {
				if done.what == "transaction" {
					if err := end.fn(tx, ctx); err != nil {
						t.Fatalf("%s: %v", end.name, err)
					}
				}
				insert := "INSERT INTO item (name) VALUES (" + ph(db, 1) + ")"
				if _, err := done.tx.Exec(ctx, insert, "after "+end.name+" of "+done.what); !errors.Is(err, dialect.ErrTxDone) {
					t.Errorf("Exec after %s of a %s = %v, want ErrTxDone", end.name, done.what, err)
				}
				if rows, err := done.tx.Query(ctx, "SELECT name FROM item"); !errors.Is(err, dialect.ErrTxDone) {
					if err == nil {
						rows.Close()
					}
					t.Errorf("Query after %s of a %s = %v, want ErrTxDone", end.name, done.what, err)
				}
				if _, err := done.tx.Savepoint(ctx); !errors.Is(err, dialect.ErrTxDone) {
					t.Errorf("Savepoint after %s of a %s = %v, want ErrTxDone", end.name, done.what, err)
				}
			}
		}
		wantItems(t, db)

		// The connections went back to the pool in a usable state.
		insertItem(t, db, "after")
		wantItems(t, db, "after")
	})
}

func TestSavepoint(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		createItems(t, db)
		tx, err := db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		insertItem(t, tx, "a outer")

		sp, err := tx.Savepoint(ctx)
		if err != nil {
			t.Fatalf("Savepoint: %v", err)
		}
		insertItem(t, sp, "b undone")
		wantItems(t, sp, "a outer", "b undone")
		if err := sp.Rollback(ctx); err != nil {
			t.Fatalf("savepoint Rollback: %v", err)
		}
		if err := sp.Rollback(ctx); !errors.Is(err, dialect.ErrTxDone) {
			t.Errorf("second savepoint Rollback = %v, want ErrTxDone", err)
		}
		wantItems(t, tx, "a outer")

		sp, err = tx.Savepoint(ctx)
		if err != nil {
			t.Fatalf("Savepoint: %v", err)
		}
		insertItem(t, sp, "c released")
		inner, err := sp.Savepoint(ctx)
		if err != nil {
			t.Fatalf("nested Savepoint: %v", err)
		}
		insertItem(t, inner, "d nested undone")
		if err := inner.Rollback(ctx); err != nil {
			t.Fatalf("nested Rollback: %v", err)
		}
		if err := sp.Commit(ctx); err != nil {
			t.Fatalf("savepoint Commit: %v", err)
		}
		if err := sp.Rollback(ctx); !errors.Is(err, dialect.ErrTxDone) {
			t.Errorf("Rollback of a released savepoint = %v, want ErrTxDone", err)
		}
		insertItem(t, tx, "e outer")
		if err := tx.Commit(ctx); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		wantItems(t, db, "a outer", "c released", "e outer")
	})
}

// A failed statement in a savepoint is undone by rolling the savepoint
// back, and the enclosing transaction goes on, on both dialects.
func TestSavepointRecoversFromError(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		createItems(t, db)
		tx, err := db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		insertItem(t, tx, "a")
		sp, err := tx.Savepoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sp.Exec(ctx, "INSERT INTO item (name) VALUES ("+ph(db, 1)+")", "a"); !errors.Is(err, dialect.ErrUnique) {
			t.Fatalf("duplicate insert = %v, want ErrUnique", err)
		}
		if err := sp.Rollback(ctx); err != nil {
			t.Fatalf("savepoint Rollback: %v", err)
		}
		insertItem(t, tx, "b")
		if err := tx.Commit(ctx); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		wantItems(t, db, "a", "b")
	})
}

func TestReadOnlyTx(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		createItems(t, db)
		insertItem(t, db, "a")

		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Release()
		for _, b := range []struct {
			name string
			b    dialect.Beginner
		}{{"db", db}, {"conn", conn}} {
			tx, err := b.b.Begin(ctx, dialect.TxOptions{ReadOnly: true})
			if err != nil {
				t.Fatalf("%s: Begin read-only: %v", b.name, err)
			}
			wantItems(t, tx, "a")
			_, err = tx.Exec(ctx, "INSERT INTO item (name) VALUES ("+ph(db, 1)+")", "refused")
			if err == nil {
				t.Errorf("%s: INSERT in a read-only transaction succeeded", b.name)
			}
			var ce *dialect.ConstraintError
			if errors.As(err, &ce) {
				t.Errorf("%s: read-only refusal reported as a constraint: %v", b.name, err)
			}
			if err := tx.Rollback(ctx); err != nil {
				t.Fatalf("%s: Rollback: %v", b.name, err)
			}
		}
		// The pinned connection writes again once its read-only
		// transaction is over.
		mustExec(t, conn, "INSERT INTO item (name) VALUES ("+ph(db, 1)+")", "b")
		tx, err := conn.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		insertItem(t, tx, "c")
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		wantItems(t, db, "a", "b", "c")
	})
}

func TestIsolationLevels(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		createItems(t, db)
		for _, iso := range []dialect.Isolation{dialect.Default, dialect.ReadUncommitted,
			dialect.ReadCommitted, dialect.RepeatableRead, dialect.Serializable} {
			for _, ro := range []bool{false, true} {
				tx, err := db.Begin(ctx, dialect.TxOptions{Isolation: iso, ReadOnly: ro})
				if err != nil {
					t.Fatalf("Begin(%v, read-only %v): %v", iso, ro, err)
				}
				if db.Dialect().Name() == "postgres" && iso != dialect.Default {
					got := testdb.Scalar[string](t, tx, "SHOW transaction_isolation")
					if want := strings.ToLower(iso.String()); got != want {
						t.Errorf("transaction_isolation = %q, want %q", got, want)
					}
				}
				if !ro {
					insertItem(t, tx, iso.String())
				}
				wantLen := len(names(t, tx, "item"))
				if err := tx.Commit(ctx); err != nil {
					t.Fatalf("Commit(%v, read-only %v): %v", iso, ro, err)
				}
				if got := len(names(t, db, "item")); got != wantLen {
					t.Errorf("%v: %d items after commit, want %d", iso, got, wantLen)
				}
			}
		}
	})
}

var errBoom = errors.New("boom")

func TestInTx(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		createItems(t, db)

		err := dialect.InTx(ctx, db, func(tx dialect.Executor) error {
			if _, ok := tx.(dialect.Tx); !ok {
				t.Errorf("InTx handed fn a %T, want a transaction", tx)
			}
			insertItem(t, tx, "committed")
			return nil
		})
		if err != nil {
			t.Fatalf("InTx: %v", err)
		}
		wantItems(t, db, "committed")

		err = dialect.InTx(ctx, db, func(tx dialect.Executor) error {
			insertItem(t, tx, "rolled back")
			return errBoom
		})
		if !errors.Is(err, errBoom) {
			t.Fatalf("InTx = %v, want fn's error", err)
		}
		wantItems(t, db, "committed")

		func() {
			defer func() {
				if p := recover(); p != errBoom {
					t.Errorf("recovered %v, want the panic value re-raised", p)
				}
			}()
			_ = dialect.InTx(ctx, db, func(tx dialect.Executor) error {
				insertItem(t, tx, "panicked")
				panic(errBoom)
			})
			t.Error("InTx returned after a panic")
		}()
		wantItems(t, db, "committed")
		// The panicking transaction released its connection and locks.
		insertItem(t, db, "later")
		wantItems(t, db, "committed", "later")

		// A constraint error inside fn comes back as it was.
		err = dialect.InTx(ctx, db, func(tx dialect.Executor) error {
			_, err := tx.Exec(ctx, "INSERT INTO item (name) VALUES ("+ph(db, 1)+")", "later")
			return err
		})
		if !errors.Is(err, dialect.ErrUnique) {
			t.Errorf("InTx = %v, want ErrUnique", err)
		}
	})
}

// InTx given a transaction works in a savepoint: failing undoes only its
// own work, and the enclosing transaction decides the rest.
func TestInTxNested(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		createItems(t, db)
		err := dialect.InTx(ctx, db, func(outer dialect.Executor) error {
			insertItem(t, outer, "a")
			if err := dialect.InTx(ctx, outer, func(inner dialect.Executor) error {
				insertItem(t, inner, "b inner kept")
				return nil
			}); err != nil {
				t.Errorf("inner InTx: %v", err)
			}
			err := dialect.InTx(ctx, outer, func(inner dialect.Executor) error {
				insertItem(t, inner, "c inner undone")
				return errBoom
			})
			if !errors.Is(err, errBoom) {
				t.Errorf("inner InTx = %v, want errBoom", err)
			}
			insertItem(t, outer, "d")
			return nil
		})
		if err != nil {
			t.Fatalf("InTx: %v", err)
		}
		wantItems(t, db, "a", "b inner kept", "d")

		err = dialect.InTx(ctx, db, func(outer dialect.Executor) error {
			insertItem(t, outer, "e undone")
			if err := dialect.InTx(ctx, outer, func(inner dialect.Executor) error {
				insertItem(t, inner, "f undone with outer")
				return nil
			}); err != nil {
				t.Errorf("inner InTx: %v", err)
			}
			return errBoom
		})
		if !errors.Is(err, errBoom) {
			t.Fatalf("InTx = %v, want errBoom", err)
		}
		wantItems(t, db, "a", "b inner kept", "d")
	})
}

func TestInTxOnConn(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		createItems(t, db)
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Release()
		if err := dialect.InTx(ctx, conn, func(tx dialect.Executor) error {
			insertItem(t, tx, "a")
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := dialect.InTx(ctx, conn, func(tx dialect.Executor) error {
			insertItem(t, tx, "b")
			return errBoom
		}); !errors.Is(err, errBoom) {
			t.Fatalf("InTx = %v, want errBoom", err)
		}
		wantItems(t, conn, "a")
		wantItems(t, db, "a")
	})
}

// A COMMIT under a context already done commits nothing and returns an
// error matching the context's, on every dialect; rolling the transaction
// back afterwards is harmless. A transaction whose Begin context ended is
// rolled back on SQLite (database/sql's rule), so its Commit returns the
// context's error; on PostgreSQL that context covered the BEGIN only.
func TestTxCommitContextDone(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, db dialect.DB) {
		ctx := context.Background()
		createItems(t, db)

		tx, err := db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		insertItem(t, tx, "commit cancelled")
		done, cancel := context.WithCancel(ctx)
		cancel()
		if err := tx.Commit(done); !errors.Is(err, context.Canceled) {
			t.Errorf("Commit with a cancelled context = %v, want context.Canceled", err)
		}
		if err := tx.Rollback(ctx); err != nil && !errors.Is(err, dialect.ErrTxDone) {
			t.Errorf("Rollback after the refused Commit = %v", err)
		}

		begun, cancel := context.WithCancel(ctx)
		tx, err = db.Begin(begun, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		insertItem(t, tx, "begin cancelled")
		cancel()
		err = tx.Commit(ctx)
		if db.Dialect().Name() == "sqlite" {
			// database/sql rolled it back when the context ended.
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Commit of a transaction whose Begin context was cancelled = %v, want context.Canceled", err)
			}
			wantItems(t, db)
			return
		}
		// pgx: the Begin context covered the BEGIN only.
		if err != nil {
			t.Errorf("Commit of a transaction whose Begin context was cancelled since = %v, want nil on PostgreSQL", err)
		}
		wantItems(t, db, "begin cancelled")
	})
}
