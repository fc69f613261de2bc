package migrate

import (
	"fmt"
	"strings"
)

// A SQLite migration runs on a connection of the program's pool, which
// goes on serving the program afterwards. A PRAGMA that sets a setting of
// the connection (case_sensitive_like, recursive_triggers, busy_timeout…)
// outlives the migration's transaction, so it would change how that one
// connection of the pool behaves, and no other: the runner refuses such
// a migration before running anything (ErrPragma). PostgreSQL's runner
// puts back what a migration SETs instead (see pgBackend).

// connectionPragma reports whether the PRAGMA name (lower case) sets a
// setting scoped to the connection, as SQLite's documentation lists them,
// or to the process. foreign_keys is among them, though it does nothing
// inside the migration's transaction. defer_foreign_keys, reset when the
// transaction ends, and user_version and application_id, numbers kept in
// the database file, are not.
func connectionPragma(name string) bool {
	switch name {
	case "analysis_limit", "automatic_index", "busy_timeout", "cache_size", "cache_spill",
		"case_sensitive_like", "cell_size_check", "checkpoint_fullfsync", "count_changes",
		"data_store_directory", "default_cache_size", "empty_result_callbacks", "foreign_keys",
		"full_column_names", "fullfsync", "hard_heap_limit", "ignore_check_constraints",
		"journal_mode", "journal_size_limit", "legacy_alter_table", "legacy_file_format",
		"locking_mode", "max_page_count", "mmap_size", "query_only", "read_uncommitted",
		"recursive_triggers", "reverse_unordered_selects", "secure_delete", "short_column_names",
		"soft_heap_limit", "synchronous", "temp_store", "temp_store_directory", "threads",
		"trusted_schema", "writable_schema":
		return true
	}
	return false
}

// checkPragmas returns an error wrapping ErrPragma, naming the PRAGMA,
// when a statement of sql sets a setting of the connection: PRAGMA name =
// value, or PRAGMA name(value). A PRAGMA that only reads (PRAGMA name;)
// is let through.
func checkPragmas(sql string) error {
	for i := 0; i < len(sql); {
		i = skipBlank(sql, i)
		word, j := identAt(sql, i)
		if strings.EqualFold(word, "pragma") {
			if name, sets := pragmaAt(sql, j); sets && connectionPragma(name) {
				return fmt.Errorf("PRAGMA %s: %w", name, ErrPragma)
			}
		}
		i = statementEnd(sql, i)
	}
	return nil
}

// pragmaAt reads the name of the PRAGMA whose name starts at or after i
// (its schema, main.name, dropped), lower-cased, and whether a value
// follows it.
func pragmaAt(sql string, i int) (name string, sets bool) {
	name, i = identAt(sql, skipBlank(sql, i))
	if i = skipBlank(sql, i); i < len(sql) && sql[i] == '.' {
		name, i = identAt(sql, skipBlank(sql, i+1))
		i = skipBlank(sql, i)
	}
	return strings.ToLower(name), i < len(sql) && (sql[i] == '=' || sql[i] == '(')
}

// identAt reads the identifier at i, bare or quoted ("x", `x`, [x]),
// and returns it unquoted with the index just past it; "" when none
// starts there.
func identAt(sql string, i int) (string, int) {
	if i >= len(sql) {
		return "", i
	}
	if end := quoteEnd(sql, i); end > i {
		name := sql[i+1 : max(end-1, i+1)]
		return strings.ReplaceAll(name, sql[i:i+1]+sql[i:i+1], sql[i:i+1]), end
	}
	j := i
	for j < len(sql) && (sql[j] == '_' || sql[j] == '$' || sql[j] >= 0x80 ||
		'a' <= sql[j]|0x20 && sql[j]|0x20 <= 'z' || '0' <= sql[j] && sql[j] <= '9') {
		j++
	}
	return sql[i:j], j
}

// quoteEnd returns the index just past the string or quoted identifier
// starting at i ('…', "…", `…` with doubled quotes inside, […]), the end
// of sql when it does not end, or i when none starts there.
func quoteEnd(sql string, i int) int {
	closer := byte(0)
	switch sql[i] {
	case '\'', '"', '`':
		closer = sql[i]
	case '[':
		closer = ']'
	default:
		return i
	}
	for j := i + 1; j < len(sql); j++ {
		if sql[j] != closer {
			continue
		}
		if closer != ']' && j+1 < len(sql) && sql[j+1] == closer {
			j++ // a doubled quote
			continue
		}
		return j + 1
	}
	return len(sql)
}

// skipBlank returns the index of the first byte at or after i that is
// neither white space nor in a comment ("--" to the line's end, "/* */",
// which SQLite does not nest).
func skipBlank(sql string, i int) int {
	for i < len(sql) {
		switch {
		case strings.ContainsRune(" \t\r\n\f\v", rune(sql[i])):
			i++
		case strings.HasPrefix(sql[i:], "--"):
			end := strings.IndexByte(sql[i:], '\n')
			if end < 0 {
				return len(sql)
			}
			i += end + 1
		case strings.HasPrefix(sql[i:], "/*"):
			end := strings.Index(sql[i+2:], "*/")
			if end < 0 {
				return len(sql)
			}
			i += 2 + end + 2
		default:
			return i
		}
	}
	return i
}

// statementEnd returns the index just past the semicolon that ends the
// statement at i, outside strings, quoted names and comments, or the end
// of sql. A trigger's body is read as several statements, none of which
// can be a PRAGMA.
func statementEnd(sql string, i int) int {
	for i < len(sql) {
		if j := skipBlank(sql, i); j > i {
			i = j
			continue
		}
		if end := quoteEnd(sql, i); end > i {
			i = end
			continue
		}
		if sql[i] == ';' {
			return i + 1
		}
		i++
	}
	return i
}
