package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/dialect/sqlite"
	"github.com/genrepo/genrepo/internal/testdb"
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

// Config.BusyTimeout sets every connection's busy timeout, to the
// millisecond: zero keeps the default, a negative value none.
func TestBusyTimeoutConfig(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		set  time.Duration
		want int64
	}{
		{0, 10000},
		{20 * time.Millisecond, 20},
		{time.Microsecond, 1},
		{1500 * time.Microsecond, 2},
		{-1, 0},
	} {
		for _, path := range []string{filepath.Join(t.TempDir(), "busy.db"), sqlite.Memory} {
			db, err := sqlite.OpenConfig(ctx, sqlite.Config{Path: path, BusyTimeout: tc.set})
			if err != nil {
				t.Fatal(err)
			}
			if got := testdb.Scalar[int64](t, db, "PRAGMA busy_timeout"); got != tc.want {
				t.Errorf("%s: BusyTimeout %v: PRAGMA busy_timeout = %d, want %d", path, tc.set, got, tc.want)
			}
			_ = db.Close()
		}
	}
	if _, err := sqlite.OpenConfig(ctx, sqlite.Config{}); err == nil {
		t.Error("OpenConfig with no path succeeded")
	}
}
