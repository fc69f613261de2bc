package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/cmd/genrepo/internal/testdb"
)

var update = flag.Bool("update", false, "rewrite testdata/*.txt")

// TestRun tells the story on each dialect and compares what it prints,
// the migrations' SQL and the rows read through each model, with
// testdata/DIALECT.txt (go test -update rewrites them).
func TestRun(t *testing.T) {
	for _, d := range []string{"sqlite", "postgres"} {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			dsn, _ := testdb.Fresh(t, d, "migrations")
			var out strings.Builder
			if err := run(context.Background(), dsn, t.TempDir(), &out); err != nil {
				t.Fatalf("%v\nprinted so far:\n%s", err, out.String())
			}
			golden := filepath.Join("testdata", d+".txt")
			if *update {
				if err := os.WriteFile(golden, []byte(out.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got := out.String(); got != string(want) {
				t.Errorf("output differs from %s (go test -update rewrites it):\n%s", golden, got)
			}
		})
	}
}
