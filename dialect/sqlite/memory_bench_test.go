package sqlite

import (
	"context"
	"testing"

	"github.com/genrepo/genrepo/dialect"
)

// BenchmarkMemory compares Memory, one database on the memdb VFS shared
// by the pool's connections, with Memory on Config.OneConnection, SQLite's
// plain ":memory:" on a pool of one connection: an insert and a read of it
// by key, each op.
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
		"one": func(tb testing.TB) dialect.Executor {
			db, err := OpenConfig(ctx, Config{Path: Memory, OneConnection: true})
			if err != nil {
				tb.Fatal(err)
			}
			tb.Cleanup(func() { _ = db.Close() })
			return db
		},
	}
	for _, kind := range []string{"memdb", "one"} {
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
