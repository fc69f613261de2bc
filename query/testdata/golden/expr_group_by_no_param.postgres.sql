SELECT CAST(EXTRACT(YEAR FROM "released" AT TIME ZONE 'UTC') AS bigint), COALESCE(SUM("plays"), 0) FROM "track" GROUP BY CAST(EXTRACT(YEAR FROM "released" AT TIME ZONE 'UTC') AS bigint) HAVING (COALESCE(SUM("plays"), 0) * $1) > $2 ORDER BY CAST(EXTRACT(YEAR FROM "released" AT TIME ZONE 'UTC') AS bigint)

-- args: 2
1: int64(2)
2: int64(10)
