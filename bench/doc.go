// Package bench measures genrepo against the tools a Go developer would
// otherwise pick: raw pgx (the yardstick on PostgreSQL), database/sql over
// pgx's stdlib driver, GORM and bun on PostgreSQL; database/sql over
// modernc.org/sqlite with every statement prepared once by hand (the
// yardstick on SQLite), the same without preparing, GORM and bun on
// SQLite. A yardstick is what a careful person writes by hand with the
// driver, at its fastest: fixed limits as literals (LIMIT 100), so that
// PostgreSQL reuses its cached plan, and on SQLite an insert's key from
// Exec and LastInsertId rather than RETURNING.
//
// Every peer implements Peer over the same model (Item, Author, Book) and
// the same tables, created by the same hand-written DDL (ddl.go); each peer
// works in a PostgreSQL schema or a SQLite file of its own, emptied and
// seeded anew before each benchmark, so peers never see each other's rows
// and every benchmark starts from the same data.
//
// The benchmarks (bench_test.go) are named
// Benchmark<Suite>/op=<Operation>/peer=<Peer>:
//
//   - Postgres: every operation on the server named by
//     GENREPO_POSTGRES_DSN (default: the local one with trust
//     authentication);
//   - PostgresAsyncCommit: the writes, with synchronous_commit=off;
//   - SQLite: every operation on database files in the temporary directory,
//     in WAL mode;
//   - SQLiteTmpfs: the writes, on database files in /dev/shm, where an
//     fsync costs nothing.
//
// run.sh runs them all in rounds, and cmd/report turns the output into each
// peer's ratio to the yardstick of its suite, a Markdown table and an SVG
// chart. To profile one peer:
//
//	go test -run '^$' -bench 'SQLite/op=ReadSlice/peer=genrepo$' -benchtime 3s \
//		-cpuprofile cpu.out -memprofile mem.out
//
// It is a module of its own so that GORM and bun never enter genrepo's
// go.mod.
package bench
