package sqlite

import (
	"context"
	"database/sql"
	"testing"

	msqlite "modernc.org/sqlite"

	"github.com/genrepo/genrepo/dialect"
)

func mustConnector(tb testing.TB, dsn string) connector {
	tb.Helper()
	inner, err := msqlite.NewConnector(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	return connector{inner: inner}
}

// BenchmarkMemory compares Memory, one database on the memdb VFS shared
// by the pool's connections, with SQLite's plain ":memory:" on a pool of
// one connection: an insert and a read of it by key, each op.
func BenchmarkMemory(b *testing.B) {
	ctx := context.Background()
	open := map[string]func(testing.TB) dialect.Executor{
		"memdb": func(tb testing.TB) dialect.Executor {
			db, err := Open(ctx, Memory)
			if err != nil {
				tb.Fatal(err)
			}
			tb.Cleanup(func() { _ = db.Close() })
			return db
		},
		"private": func(tb testing.TB) dialect.Executor {
			sdb := sql.OpenDB(mustConnector(tb, "file::memory:?_pragma=foreign_keys(1)"))
			sdb.SetMaxOpenConns(1)
			sdb.SetConnMaxIdleTime(0)
			sdb.SetConnMaxLifetime(0)
			s := dialect.Apply(nil)
			db := &DB{executor: executor{q: sdb, s: &s, stmts: newStmtCache(sdb), keys: newRowidKeys()}, db: sdb}
			tb.Cleanup(func() { _ = db.Close() })
			return db
		},
	}
	for _, kind := range []string{"memdb", "private"} {
		b.Run("db="+kind, func(b *testing.B) {
			db := open[kind](b)
			exec(b, db, `CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)`)
			b.ReportAllocs()
			var id int64
			for b.Loop() {
				id++
				if _, err := db.Exec(ctx, `INSERT INTO item (id, name) VALUES (?, ?)`, id, "x"); err != nil {
					b.Fatal(err)
				}
				if n := count(b, db, `SELECT COUNT(*) FROM item WHERE id = ?`, id); n != 1 {
					b.Fatalf("row %d: count %d, want 1", id, n)
				}
			}
		})
	}
}
