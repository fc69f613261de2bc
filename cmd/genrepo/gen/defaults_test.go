package gen

import (
	"regexp"
	"strings"
	"testing"
)

// A NOT NULL column with a database DEFAULT maps to a field that cannot
// hold NULL, so Insert writes the field, never the default (mapped's
// Default applies to a NULL value only): the generated struct says so on
// each such field, with the default, on both dialects; a nullable
// column, whose nil the default does replace, carries no such note.
func TestNotNullDefaultNoted(t *testing.T) {
	for _, dialect := range []string{SQLite, Postgres} {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			d := newDatabase(t, dialect)
			if _, err := d.db.Exec("CREATE TABLE item (id BIGINT PRIMARY KEY, qty INTEGER NOT NULL DEFAULT 5," +
				" label VARCHAR(20) NOT NULL DEFAULT 'none', made TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP," +
				" note TEXT DEFAULT 'n', flag BOOLEAN NOT NULL DEFAULT true, plain INTEGER NOT NULL)"); err != nil {
				t.Fatal(err)
			}
			src, _ := generate(t, d, "x")
			field := func(name string) string {
				return regexp.MustCompile(`(?m)^\t` + name + ` .*$`).FindString(string(src))
			}
			for name, def := range map[string]string{"Qty": "5", "Label": "'none'", "Made": "CURRENT_TIMESTAMP", "Flag": "true"} {
				f := field(name)
				if !strings.Contains(f, "// NOT NULL DEFAULT "+def+": Insert writes the field") {
					t.Errorf("field %s is %q, want a note of its default %s", name, f, def)
				}
			}
			for _, name := range []string{"Note", "Plain", "ID"} {
				if f := field(name); f == "" || strings.Contains(f, "//") {
					t.Errorf("field %s is %q, want it without a note", name, f)
				}
			}
		})
	}
}
