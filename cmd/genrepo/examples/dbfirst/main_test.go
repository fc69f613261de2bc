package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/cmd/genrepo/internal/testdb"
	"github.com/genrepo/genrepo/dialect/connect"
)

var dialects = []string{"sqlite", "postgres"}

// TestRun runs the program on each dialect and checks what it prints: the
// checked-in mapping is what the generator writes, and CRUD through it
// works.
func TestRun(t *testing.T) {
	want := `created user_account and address by plain SQL
genrepo gen wrote store/schema.go as checked in (79 lines)
inserted spongebob (id 1), sandy (id 2), patrick (id 3) and 3 addresses
a second sandy refused (name is UNIQUE): true
get 2: sandy, Sandy Cheeks
users with an address at sqlalchemy.org: sandy, spongebob
patrick's full name set
  patrick    Patrick Star
  sandy      Sandy Cheeks           sandy@sqlalchemy.org, sandy@squirrelpower.org
  spongebob  Spongebob Squarepants  spongebob@sqlalchemy.org
deleted sandy: 1 address left
`
	for _, d := range dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			dsn, _ := testdb.Fresh(t, d, "dbfirst")
			var out strings.Builder
			if err := run(context.Background(), dsn, "", &out); err != nil {
				t.Fatal(err)
			}
			if got := out.String(); got != want {
				t.Errorf("output:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestWrite checks that -write (go generate) writes store/schema.go as it
// is checked in, on each dialect.
func TestWrite(t *testing.T) {
	for _, d := range dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			dsn, _ := testdb.Fresh(t, d, "dbfirst")
			file := filepath.Join(t.TempDir(), "schema.go")
			if err := run(context.Background(), dsn, file, &strings.Builder{}); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, checkedIn) {
				t.Errorf("-write wrote:\n%s\nwant store/schema.go:\n%s", got, checkedIn)
			}
		})
	}
}

// TestStale checks that the program fails, saying how to regenerate, when
// the database holds what store/schema.go does not map: here a table more.
func TestStale(t *testing.T) {
	for _, d := range dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn, _ := testdb.Fresh(t, d, "dbfirst")
			db, err := connect.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = db.Close() }()
			if _, err := db.Exec(ctx, "CREATE TABLE tag (id bigint PRIMARY KEY, label text NOT NULL)"); err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			err = run(ctx, dsn, "", &out)
			if err == nil || !strings.Contains(err.Error(), "go generate ./examples/dbfirst") {
				t.Fatalf("run = %v, want an error saying to run go generate", err)
			}
			if strings.Contains(out.String(), "inserted") {
				t.Errorf("rows written with a stale mapping:\n%s", out.String())
			}
		})
	}
}
