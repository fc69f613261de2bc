package gen

import (
	"regexp"
	"strings"
	"testing"
)

// A single integer key the database does not fill in (BIGINT PRIMARY KEY,
// which on SQLite is no alias of the rowid and may even be NULL) is
// mapped caller-supplied, mapped.Manual, on both dialects: mapped as
// generated, an Insert leaving it zero would write no key.
func TestKeyNotFilledMappedManual(t *testing.T) {
	for _, dialect := range []string{SQLite, Postgres} {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			d := newDatabase(t, dialect)
			if _, err := d.db.Exec("CREATE TABLE loose (id BIGINT PRIMARY KEY, name TEXT NOT NULL)"); err != nil {
				t.Fatal(err)
			}
			src, _ := generate(t, d, "x")
			key := regexp.MustCompile(`(?m)^\s*ID:.*$`).FindString(string(src))
			if !strings.Contains(key, "mapped.Manual()") {
				t.Errorf("key mapped as %q, want mapped.Manual():\n%s", key, src)
			}
		})
	}
}
