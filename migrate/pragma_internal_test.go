package migrate

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckPragmas(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, sql, want string // want: the PRAGMA refused, "" for none
	}{
		{"none", "CREATE TABLE a (id INTEGER PRIMARY KEY);", ""},
		{"set", "PRAGMA case_sensitive_like = OFF;", "case_sensitive_like"},
		{"set, no space", "pragma RECURSIVE_TRIGGERS=1", "recursive_triggers"},
		{"call form", "PRAGMA busy_timeout(10)", "busy_timeout"},
		{"schema", "PRAGMA main.synchronous = 0;", "synchronous"},
		{"quoted schema and name", `PRAGMA "main" . "foreign_keys" = 0`, "foreign_keys"},
		{"bracketed name", "PRAGMA [query_only] = 1", "query_only"},
		{"after comments", "-- x;\n/* ; PRAGMA */ PRAGMA /* y */ temp_store = 2", "temp_store"},
		{"second statement", "SELECT ';'; SELECT \"a;b\"; PRAGMA trusted_schema = 0;", "trusted_schema"},
		{"read", "PRAGMA foreign_keys;", ""},
		{"read with schema", "PRAGMA main.foreign_keys", ""},
		{"file numbers", "PRAGMA user_version = 3; PRAGMA application_id = 5;", ""},
		{"one transaction", "PRAGMA defer_foreign_keys = ON;", ""},
		{"check", "PRAGMA foreign_key_check; PRAGMA table_info(a); PRAGMA integrity_check(10);", ""},
		{"in a string", "INSERT INTO t VALUES ('x; PRAGMA foreign_keys = 0');", ""},
		{"in a comment", "SELECT 1; -- PRAGMA foreign_keys = 0\n", ""},
		{"in a block comment", "SELECT 1; /* PRAGMA foreign_keys = 0 */", ""},
		{"a column named pragma", "SELECT pragma FROM t; UPDATE t SET pragma = 1;", ""},
		{"in a trigger", "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET n = 1; END; PRAGMA cache_size = 1;", "cache_size"},
		{"unterminated string", "SELECT 'x; PRAGMA foreign_keys = 0", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkPragmas(tt.sql)
			if tt.want == "" {
				if err != nil {
					t.Errorf("checkPragmas(%q) = %v, want nil", tt.sql, err)
				}
				return
			}
			if !errors.Is(err, ErrPragma) || !strings.HasPrefix(err.Error(), "PRAGMA "+tt.want+":") {
				t.Errorf("checkPragmas(%q) = %v, want PRAGMA %s refused", tt.sql, err, tt.want)
			}
		})
	}
}

// FuzzCheckPragmas: any text is read to its end, without a panic.
func FuzzCheckPragmas(f *testing.F) {
	for _, s := range []string{"PRAGMA a = 1;", "'", "[", "/*", "--", "PRAGMA \"x\"\"y\".z(", "PRAGMA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		_ = checkPragmas(sql)
	})
}
