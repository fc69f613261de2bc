package sqlite_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
)

// A write refused with SQLITE_BUSY matches dialect.ErrRetryable; other
// errors do not.
func TestBusyIsRetryable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openFile(t)
	if _, err := db.Exec(ctx, "CREATE TABLE t (n integer)"); err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin(ctx, dialect.TxOptions{}) // BEGIN IMMEDIATE: holds the write lock
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	c, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Release()
	if _, err := c.Exec(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		t.Fatal(err)
	}
	_, err = c.Exec(ctx, "INSERT INTO t (n) VALUES (1)")
	if !errors.Is(err, dialect.ErrRetryable) {
		t.Fatalf("write while locked = %v, want ErrRetryable", err)
	}
	var re *dialect.RetryableError
	if !errors.As(err, &re) || !strings.Contains(re.Err.Error(), "SQLITE_BUSY") {
		t.Errorf("errors.As(%v, *RetryableError) = %v, want the driver's SQLITE_BUSY error", err, re)
	}
	if _, err := c.Exec(ctx, "INSERT INTO missing (n) VALUES (1)"); err == nil || errors.Is(err, dialect.ErrRetryable) {
		t.Errorf("unknown table = %v, want a non-retryable error", err)
	}
}
