package repo_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/genrepo/genrepo/dialect"
	"github.com/genrepo/genrepo/internal/testdb"
)

// BenchmarkLongIn measures SQLite's ways of sending an IN list of n
// integer keys, half of them stored, in a count of 20,000 rows by primary
// key:
//
//   - json: the list as genrepo sends it, one JSON parameter read by
//     json_each (one value alone is written IN (?));
//   - placeholders: one placeholder per value, the statement prepared once
//     and reused, as when every list has the same length;
//   - placeholders-new: one placeholder per value in a statement prepared
//     anew each time, as when lists of many lengths crowd each other out of
//     the cache of prepared statements.
//
// It runs on SQLite alone: PostgreSQL always binds one array parameter.
func BenchmarkLongIn(b *testing.B) {
	ctx := context.Background()
	db := testdb.SQLite(b)
	r := newPeople(b, db)
	const stored = 20000
	rows := make([]*person, stored)
	for i := range rows {
		rows[i] = &person{ID: int64(i + 1), Name: "p", Email: strconv.Itoa(i)}
	}
	if err := r.InsertMany(ctx, rows); err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 2, 10, 100, 500, 1000, 10000} {
		ids := make([]int64, n)
		args := make([]any, n)
		for i := range ids {
			ids[i] = int64(i/2 + 1) // stored
			if i%2 == 1 {
				ids[i] = int64(stored + i) // beyond the last key
			}
			args[i] = ids[i]
		}
		want := int64((n + 1) / 2)
		text := `SELECT count(*) FROM "person" WHERE "id" IN (?` + strings.Repeat(", ?", n-1) + ")"
		b.Run(fmt.Sprintf("json/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if got, err := r.Where(people.ID.In(ids...)).Count(ctx); err != nil || got != want {
					b.Fatalf("got %d, %v; want %d", got, err, want)
				}
			}
		})
		b.Run(fmt.Sprintf("placeholders/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				countRaw(b, db, text, args, want)
			}
		})
		b.Run(fmt.Sprintf("placeholders-new/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			k := 0
			for b.Loop() {
				k++
				countRaw(b, db, text+" /* "+strconv.Itoa(k)+" */", args, want)
			}
		})
	}
}

func countRaw(b *testing.B, db dialect.DB, text string, args []any, want int64) {
	rs, err := db.Query(context.Background(), text, args...)
	if err != nil {
		b.Fatal(err)
	}
	var got int64
	for rs.Next() {
		if err := rs.Scan(&got); err != nil {
			b.Fatal(err)
		}
	}
	if err := rs.Close(); err != nil || got != want {
		b.Fatalf("got %d, %v; want %d", got, err, want)
	}
}
