package dialect_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
)

// eachWith runs body on every dialect, like testdb.Each, but calls
// setup in each subtest so that every database gets options (hooks) and
// state of its own.
func eachWith[S any](t *testing.T, setup func() (S, []dialect.Option), body func(t *testing.T, db dialect.DB, s S)) {
	t.Helper()
	for _, name := range testdb.Dialects {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, opts := setup()
			body(t, testdb.Open(t, name, opts...), s)
		})
	}
}

// recorder keeps the events a hook receives.
type recorder struct {
	mu     sync.Mutex
	events []dialect.Event
}

func (r *recorder) hook(_ context.Context, e dialect.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

// take returns the events so far and forgets them.
func (r *recorder) take() []dialect.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.events
	r.events = nil
	return e
}

type wantEvent struct {
	op   dialect.Op
	sql  string
	args int
	err  bool
}

func checkEvents(t *testing.T, step string, got []dialect.Event, want ...wantEvent) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d events %v, want %d", step, len(got), got, len(want))
		return
	}
	for i, w := range want {
		g := got[i]
		if g.Op != w.op || g.SQL != w.sql || g.Args != w.args || (g.Err != nil) != w.err {
			t.Errorf("%s: event %d = {%v %q args=%d err=%v}, want {%v %q args=%d err=%v}",
				step, i, g.Op, g.SQL, g.Args, g.Err, w.op, w.sql, w.args, w.err)
		}
		if g.Duration < 0 {
			t.Errorf("%s: event %d has negative duration %v", step, i, g.Duration)
		}
	}
}

// eachHooked runs body on every dialect, with a recorder as the database's
// hook.
func eachHooked(t *testing.T, body func(t *testing.T, db dialect.DB, r *recorder)) {
	t.Helper()
	eachWith(t, func() (*recorder, []dialect.Option) {
		r := new(recorder)
		return r, []dialect.Option{dialect.WithHook(r.hook)}
	}, body)
}

func TestHook(t *testing.T) {
	t.Parallel()
	eachHooked(t, func(t *testing.T, db dialect.DB, r *recorder) {
		ctx := context.Background()
		mustExec(t, db, "CREATE TABLE hooked (name TEXT)")
		checkEvents(t, "create", r.take(), wantEvent{op: dialect.OpExec, sql: "CREATE TABLE hooked (name TEXT)"})

		insert := "INSERT INTO hooked (name) VALUES (" + ph(db, 1) + "), (" + ph(db, 2) + ")"
		mustExec(t, db, insert, "a", "b")
		checkEvents(t, "exec", r.take(), wantEvent{op: dialect.OpExec, sql: insert, args: 2})

		sel := "SELECT name FROM hooked WHERE name <> " + ph(db, 1)
		rows, err := db.Query(ctx, sel, "z")
		if err != nil {
			t.Fatal(err)
		}
		rows.Close()
		checkEvents(t, "query", r.take(), wantEvent{op: dialect.OpQuery, sql: sel, args: 1})

		_, err = db.Exec(ctx, "SELECT * FROM missing_table")
		if err == nil {
			t.Fatal("query of a missing table succeeded")
		}
		checkEvents(t, "failed exec", r.take(), wantEvent{op: dialect.OpExec, sql: "SELECT * FROM missing_table", err: true})

		tx, err := db.Begin(ctx, dialect.TxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		mustExec(t, tx, "DELETE FROM hooked")
		sp, err := tx.Savepoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := sp.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
		sp, err = tx.Savepoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := sp.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		checkEvents(t, "committed transaction", r.take(),
			wantEvent{op: dialect.OpBegin},
			wantEvent{op: dialect.OpExec, sql: "DELETE FROM hooked"},
			wantEvent{op: dialect.OpBegin},
			wantEvent{op: dialect.OpRollback},
			wantEvent{op: dialect.OpBegin},
			wantEvent{op: dialect.OpCommit},
			wantEvent{op: dialect.OpCommit})

		tx, err = db.Begin(ctx, dialect.TxOptions{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
		checkEvents(t, "rolled back transaction", r.take(),
			wantEvent{op: dialect.OpBegin}, wantEvent{op: dialect.OpRollback})

		// A Conn reports to the same hook.
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		mustExec(t, conn, "DELETE FROM hooked")
		conn.Release()
		checkEvents(t, "conn", r.take(), wantEvent{op: dialect.OpExec, sql: "DELETE FROM hooked"})
	})
}

func TestWithLogger(t *testing.T) {
	t.Parallel()
	eachWith(t, func() (*syncBuffer, []dialect.Option) {
		buf := new(syncBuffer)
		h := slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})
		return buf, []dialect.Option{dialect.WithLogger(slog.New(h))}
	}, func(t *testing.T, db dialect.DB, buf *syncBuffer) {
		ctx := context.Background()
		const secret = "hunter2-secret-value"
		create := "CREATE TABLE logged (name VARCHAR(40) UNIQUE)"
		insert := "INSERT INTO logged (name) VALUES (" + ph(db, 1) + ")"
		mustExec(t, db, create)
		mustExec(t, db, insert, secret)
		if _, err := db.Exec(ctx, insert, secret); !errors.Is(err, dialect.ErrUnique) {
			t.Fatalf("duplicate insert = %v, want ErrUnique", err)
		}
		rows, err := db.Query(ctx, "SELECT name FROM logged WHERE name = "+ph(db, 1), secret)
		if err != nil {
			t.Fatal(err)
		}
		rows.Close()

		out := buf.String()
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 4 {
			t.Fatalf("%d log lines, want 4:\n%s", len(lines), out)
		}
		for i, want := range []string{create, insert, insert, "SELECT name FROM logged"} {
			if !strings.Contains(lines[i], want) {
				t.Errorf("line %d %q does not hold %q", i, lines[i], want)
			}
		}
		if strings.Contains(out, secret) {
			t.Errorf("log holds an argument value:\n%s", out)
		}
		if !strings.Contains(lines[1], "level=DEBUG") || !strings.Contains(lines[1], "args=1") ||
			!strings.Contains(lines[1], "op=exec") {
			t.Errorf("successful statement logged as %q, want level DEBUG, op=exec and args=1", lines[1])
		}
		if !strings.Contains(lines[2], "level=ERROR") || !strings.Contains(lines[2], "err=") {
			t.Errorf("failed statement logged as %q, want level ERROR with err", lines[2])
		}
		if !strings.Contains(lines[3], "op=query") {
			t.Errorf("query logged as %q, want op=query", lines[3])
		}
	})
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
