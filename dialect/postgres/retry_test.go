package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
)

// Serialization failures and deadlocks match dialect.ErrRetryable and keep
// the server's error reachable; other errors do not match it.
func TestRetryableErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testdb.Postgres(t)
	raise := func(code string) string {
		return "DO $$ BEGIN RAISE EXCEPTION 'injected' USING ERRCODE = '" + code + "'; END $$"
	}
	for _, tc := range []struct {
		code      string
		retryable bool
	}{
		{"40001", true},
		{"40P01", true},
		{"23505", false},
		{"P0001", false},
	} {
		t.Run(tc.code, func(t *testing.T) {
			_, err := db.Exec(ctx, raise(tc.code))
			if err == nil {
				t.Fatal("no error")
			}
			if got := errors.Is(err, dialect.ErrRetryable); got != tc.retryable {
				t.Errorf("errors.Is(%v, ErrRetryable) = %v, want %v", err, got, tc.retryable)
			}
			var pe *pgconn.PgError
			if !errors.As(err, &pe) || pe.Code != tc.code {
				t.Errorf("errors.As(%v, *PgError) code = %v, want %s", err, pe, tc.code)
			}
		})
	}
}
