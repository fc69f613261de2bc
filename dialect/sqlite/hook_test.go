package sqlite_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"modernc.org/sqlite"

	"github.com/genrepo/genrepo/dialect"
)

// The hook's error keeps SQLite's messages that name only the statement's
// objects (a missing table, a violated constraint) and withholds those
// that may quote a value: a trigger's RAISE built from the row, an SQL
// function's error about its argument. The withheld error still unwraps to
// the *sqlite.Error.
func TestHookErrorMessages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var mu sync.Mutex
	var last error
	db := openFile(t, dialect.WithHook(func(_ context.Context, e dialect.Event) {
		mu.Lock()
		defer mu.Unlock()
		last = e.Err
	}))
	mustExec(t, db, "CREATE TABLE t (name TEXT UNIQUE, j TEXT)")
	mustExec(t, db, `CREATE TRIGGER guard BEFORE INSERT ON t WHEN NEW.name LIKE 'bad%'
		BEGIN SELECT RAISE(ABORT, 'refused ' || NEW.name); END`)
	mustExec(t, db, "INSERT INTO t (name) VALUES ('taken')")
	for _, tc := range []struct {
		name   string
		sql    string
		args   []any
		kept   bool
		secret string
	}{
		{"missing table", "SELECT * FROM missing", nil, true, ""},
		{"unique", "INSERT INTO t (name) VALUES (?)", []any{"taken"}, true, ""},
		{"trigger RAISE", "INSERT INTO t (name) VALUES (?)", []any{"bad-Sekr3t"}, false, "bad-Sekr3t"},
		{"JSON path", "SELECT json_extract('{}', ?)", []any{"path-Sekr3t"}, false, "path-Sekr3t"},
	} {
		rows, err := db.Query(ctx, tc.sql, tc.args...)
		if err == nil {
			for rows.Next() {
			}
			err = rows.Close()
		}
		mu.Lock()
		got := last
		mu.Unlock()
		switch {
		case err == nil:
			t.Errorf("%s: no error", tc.name)
		case got == nil:
			t.Errorf("%s: the caller got %v, the hook no error", tc.name, err)
		case tc.kept && !strings.Contains(err.Error(), got.Error()):
			t.Errorf("%s: the hook got %q, want SQLite's message, as in %q", tc.name, got, err)
		case !tc.kept && strings.Contains(got.Error(), tc.secret):
			t.Errorf("%s: the hook's error quotes the value: %q", tc.name, got)
		}
		var se *sqlite.Error
		if got != nil && !errors.As(got, &se) {
			t.Errorf("%s: the hook's error %q does not unwrap to *sqlite.Error", tc.name, got)
		}
		t.Logf("%s: caller %v; hook %v", tc.name, err, got)
	}
}
