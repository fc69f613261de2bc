#!/usr/bin/env bash
# Runs genrepo's benchmarks against raw pgx, database/sql, GORM and bun on
# PostgreSQL and SQLite, then writes
#
#   results/raw-<stamp>.txt        the go test output (not committed)
#   results/benchstat.txt          benchstat's table, peers side by side
#   results/latest.md              every peer's ratio to the yardstick
#   results/ratios.svg             the ratios as a chart
#
# and puts the summary in ../README.md, between its bench:start and
# bench:end markers.
#
# Settings, from the environment:
#   COUNT      rounds of the whole suite (default 20; about 35 seconds each
#              on a 2-core machine)
#   BENCHTIME  go test -benchtime per benchmark and round (default 200ms:
#              many short rounds resist bursts of other work on the
#              machine better than a few long ones)
#   BENCH      go test -bench pattern (default: everything)
#   GENREPO_POSTGRES_DSN  the PostgreSQL server (a postgres:// URL; default
#              the local one with trust authentication)
#
# Each ratio compares a peer with its yardstick in the same round; judge by
# ratios, not by absolute times, on a machine that does other work.
set -euo pipefail
cd "$(dirname "$0")"

COUNT=${COUNT:-20}
BENCHTIME=${BENCHTIME:-200ms}
BENCH=${BENCH:-.}
export GENREPO_POSTGRES_DSN=${GENREPO_POSTGRES_DSN:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
# gorm.io/driver/sqlite imports mattn/go-sqlite3, unused here (GORM runs
# over modernc.org/sqlite): without cgo it is a stub and nothing compiles C.
export CGO_ENABLED=0

mkdir -p results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
raw=results/raw-$stamp.txt

pg_version=$(psql "$GENREPO_POSTGRES_DSN" -Atc 'SHOW server_version' 2>/dev/null | cut -d' ' -f1 || true)
{
  echo "date: $(date -u +%Y-%m-%d)"
  echo "cores: $(nproc)"
  echo "memory: $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "go: $(go env GOVERSION)"
  echo "postgres: ${pg_version:-unknown}"
  echo "count: $COUNT"
  echo "benchtime: $BENCHTIME"
} >"$raw"

# One round runs every benchmark once; rounds repeat the whole suite, so
# that a peer and its yardstick are measured close together in each round
# and drift in the machine's load touches every peer alike (go test -count
# would instead repeat each benchmark back to back).
bin=$(mktemp -d)/bench.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
go test -c -o "$bin" .
for round in $(seq 1 "$COUNT"); do
  echo "== round $round of $COUNT: -bench '$BENCH' -benchtime $BENCHTIME (output in $raw)"
  "$bin" -test.run '^$' -test.bench "$BENCH" -test.benchtime "$BENCHTIME" -test.timeout 60m | tee -a "$raw"
done

echo
echo "== benchstat"
# One table per suite, so that each compares the peers with the suite's
# yardstick, its first column.
for suite in Postgres PostgresAsyncCommit SQLite SQLiteTmpfs; do
  if grep -q "^Benchmark$suite/" "$raw"; then
    go tool benchstat -col /peer -filter ".name:$suite" "$raw"
    echo
  fi
done | tee results/benchstat.txt

echo
echo "== ratios to the yardstick"
go run ./cmd/report -in "$raw" -md results/latest.md -svg results/ratios.svg -readme ../README.md
