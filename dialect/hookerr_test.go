package dialect_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
)

// A query is reported when its rows are done, with the error that ended
// them: an INSERT … RETURNING that violates a constraint, which pgx
// reports only as the rows are read, reaches the hook with its error. A
// query read to the end is reported once, whether or not it is closed
// afterwards.
func TestHookQueryReportedWhenDone(t *testing.T) {
	t.Parallel()
	eachHooked(t, func(t *testing.T, db dialect.DB, r *recorder) {
		ctx := context.Background()
		mustExec(t, db, "CREATE TABLE done (name TEXT UNIQUE)")
		r.take()
		insert := "INSERT INTO done (name) VALUES (" + ph(db, 1) + ") RETURNING name"
		read := func() error {
			rows, err := db.Query(ctx, insert, "taken")
			if err != nil {
				return err
			}
			for rows.Next() {
			}
			return rows.Close()
		}
		if err := read(); err != nil {
			t.Fatal(err)
		}
		checkEvents(t, "insert returning", r.take(), wantEvent{op: dialect.OpQuery, sql: insert, args: 1})

		err := read()
		if !errors.Is(err, dialect.ErrUnique) {
			t.Fatalf("duplicate insert returning = %v, want ErrUnique", err)
		}
		checkEvents(t, "failed insert returning", r.take(), wantEvent{op: dialect.OpQuery, sql: insert, args: 1, err: true})

		// Read to the end without Close: reported when Next says so.
		sel := "SELECT name FROM done"
		rows, err := db.Query(ctx, sel)
		if err != nil {
			t.Fatal(err)
		}
		checkEvents(t, "query not yet read", r.take())
		for rows.Next() {
		}
		checkEvents(t, "query read to the end", r.take(), wantEvent{op: dialect.OpQuery, sql: sel})
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		checkEvents(t, "query closed after its end", r.take())

		// Closed before the end: reported at Close.
		rows, err = db.Query(ctx, sel)
		if err != nil {
			t.Fatal(err)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		checkEvents(t, "query closed early", r.take(), wantEvent{op: dialect.OpQuery, sql: sel})
	})
}

// secretValuer is a driver.Valuer whose error quotes its value, as a
// careless one would.
type secretValuer string

func (v secretValuer) Value() (driver.Value, error) {
	return nil, fmt.Errorf("cannot store %q", string(v))
}

// Bound values never reach the hook or the logger, not even inside a
// driver's error text: the event's error names what failed without the
// message, unwraps to the driver's error, and the caller's error keeps the
// driver's text.
func TestHookWithholdsValues(t *testing.T) {
	t.Parallel()
	eachWith(t, func() (*hooked, []dialect.Option) {
		h := &hooked{rec: new(recorder), buf: new(syncBuffer)}
		log := dialect.LogHook(slog.New(slog.NewTextHandler(h.buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
		return h, []dialect.Option{dialect.WithHook(h.rec.hook), dialect.WithHook(log)}
	}, func(t *testing.T, db dialect.DB, h *hooked) {
		ctx := context.Background()
		mustExec(t, db, "CREATE TABLE quiet (n BIGINT, s VARCHAR(4))")
		insert := "INSERT INTO quiet (n) VALUES (" + ph(db, 1) + ")"
		cases := []struct {
			name   string
			secret string
			run    func() error
		}{
			{"uint64 out of range", "18446744073709551615", func() error {
				_, err := db.Exec(ctx, insert, uint64(math.MaxUint64))
				return err
			}},
			{"a Valuer's error", "valuer-Sekr3t", func() error {
				_, err := db.Exec(ctx, insert, secretValuer("valuer-Sekr3t"))
				return err
			}},
			{"text cast to an integer", "cast-Sekr3t", func() error {
				_, err := db.Exec(ctx, "INSERT INTO quiet (n) VALUES (CAST("+ph(db, 1)+" AS INTEGER) + 0)", "cast-Sekr3t")
				if db.Dialect().Name() == "sqlite" && err == nil {
					return errors.New("sqlite casts any text to an integer") // nothing to see
				}
				return err
			}},
			{"a query's text cast to an integer", "query-Sekr3t", func() error {
				rows, err := db.Query(ctx, "SELECT n FROM quiet WHERE n = CAST("+ph(db, 1)+" AS INTEGER)", "query-Sekr3t")
				if err != nil {
					return err
				}
				for rows.Next() {
				}
				if err := rows.Close(); err != nil {
					return err
				}
				if db.Dialect().Name() == "sqlite" {
					return errors.New("sqlite casts any text to an integer")
				}
				return nil
			}},
		}
		for _, tc := range cases {
			h.rec.take()
			err := tc.run()
			if err == nil {
				t.Errorf("%s: no error", tc.name)
				continue
			}
			events := h.rec.take()
			if strings.HasPrefix(err.Error(), "sqlite casts") {
				continue
			}
			var failed *dialect.Event
			for i := range events {
				if events[i].Err != nil {
					failed = &events[i]
				}
			}
			if failed == nil {
				t.Errorf("%s: the hook saw no error in %v, the caller %v", tc.name, events, err)
				continue
			}
			if strings.Contains(failed.Err.Error(), tc.secret) {
				t.Errorf("%s: the hook's error quotes the value: %v", tc.name, failed.Err)
			}
			if errors.Unwrap(failed.Err) == nil && !strings.Contains(err.Error(), failed.Err.Error()) {
				t.Errorf("%s: the hook's error %q neither unwraps to the driver's nor is it", tc.name, failed.Err)
			}
			t.Logf("%s: the caller sees %v; the hook %v", tc.name, err, failed.Err)
		}
		out := h.buf.String()
		for _, tc := range cases {
			if strings.Contains(out, tc.secret) {
				t.Errorf("the log quotes the value of %s:\n%s", tc.name, out)
			}
		}
	})
}

// hooked is a recorder and the text a LogHook wrote.
type hooked struct {
	rec *recorder
	buf *syncBuffer
}
