package dialect_test

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
)

// ph returns the dialect's placeholder of the n-th parameter.
func ph(ex dialect.Executor, n int) string {
	return string(ex.Dialect().AppendPlaceholder(nil, n))
}

func mustExec(t testing.TB, ex dialect.Executor, sql string, args ...any) int64 {
	t.Helper()
	n, err := ex.Exec(context.Background(), sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// names returns the name column of table t, in order.
func names(tb testing.TB, ex dialect.Executor, table string) []string {
	tb.Helper()
	rows, err := ex.Query(context.Background(), "SELECT name FROM "+table+" ORDER BY name")
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			tb.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}
