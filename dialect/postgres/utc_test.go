package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/genrepo/genrepo/internal/testdb"
)

// TestTimesReadBackInUTC checks that a timestamptz comes back in UTC, as
// SQLite's times do, whatever the session's time zone.
func TestTimesReadBackInUTC(t *testing.T) {
	db := testdb.Postgres(t)
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SET TIME ZONE 'America/Los_Angeles'"); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.Query(ctx, "SELECT TIMESTAMPTZ '2013-08-23 01:30:00+00'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got time.Time
	if !rows.Next() {
		t.Fatalf("no row: %v", rows.Err())
	}
	if err := rows.Scan(&got); err != nil {
		t.Fatal(err)
	}
	want := time.Date(2013, 8, 23, 1, 30, 0, 0, time.UTC)
	if !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("read %v (%v), want %v in UTC", got, got.Location(), want)
	}
}
