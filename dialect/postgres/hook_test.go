package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
)

// The hook's error keeps the server's messages of the SQLSTATE classes
// built from names (a violated constraint, a missing table, a syntax
// error) and withholds those that may quote a value (class 22, a PL/pgSQL
// RAISE), naming the SQLSTATE instead; the withheld error still unwraps
// to the *pgconn.PgError.
func TestHookErrorClasses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var mu sync.Mutex
	var last error
	db := testdb.Postgres(t, dialect.WithHook(func(_ context.Context, e dialect.Event) {
		mu.Lock()
		defer mu.Unlock()
		last = e.Err
	}))
	for _, s := range []string{
		"CREATE TABLE t (name text UNIQUE, n integer)",
		"INSERT INTO t (name) VALUES ('taken')",
		`CREATE FUNCTION refuse(s text) RETURNS int LANGUAGE plpgsql AS $$
			BEGIN RAISE EXCEPTION 'refused %', s; END $$`,
	} {
		if _, err := db.Exec(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name   string
		sql    string
		args   []any
		code   string
		secret string // set when the message must be withheld
	}{
		{"unique", "INSERT INTO t (name) VALUES ($1)", []any{"taken"}, "23505", ""},
		{"missing table", "SELECT * FROM missing", nil, "42P01", ""},
		{"syntax", "SELEKT 1", nil, "42601", ""},
		{"invalid text", "INSERT INTO t (n) VALUES (CAST($1::text AS integer))", []any{"abc-Sekr3t"}, "22P02", "abc-Sekr3t"},
		{"out of range", "INSERT INTO t (n) VALUES ($1::bigint)", []any{int64(98765432101)}, "22003", "98765432101"},
		{"RAISE", "SELECT refuse($1)", []any{"raise-Sekr3t"}, "P0001", "raise-Sekr3t"},
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
		var pe *pgconn.PgError
		switch {
		case err == nil:
			t.Errorf("%s: no error", tc.name)
			continue
		case got == nil:
			t.Errorf("%s: the caller got %v, the hook no error", tc.name, err)
			continue
		case !errors.As(got, &pe) || pe.Code != tc.code:
			t.Errorf("%s: the hook's error %q does not unwrap to a *pgconn.PgError of SQLSTATE %s", tc.name, got, tc.code)
		case tc.secret == "" && got.Error() != pe.Error():
			t.Errorf("%s: the hook got %q, want the server's message %q", tc.name, got, pe.Error())
		case tc.secret != "" && strings.Contains(got.Error(), tc.secret):
			t.Errorf("%s: the hook's error quotes the value: %q", tc.name, got)
		case tc.secret != "" && !strings.Contains(got.Error(), tc.code):
			t.Errorf("%s: the hook's error %q does not name SQLSTATE %s", tc.name, got, tc.code)
		}
		t.Logf("%s: caller %v; hook %v", tc.name, err, got)
	}
}
