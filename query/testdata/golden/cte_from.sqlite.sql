WITH "big"("c1", "c2") AS (SELECT "artist_id", COALESCE(SUM("plays"), 0) FROM "track" GROUP BY "artist_id" HAVING COALESCE(SUM("plays"), 0) > ?) SELECT "c1" FROM "big" WHERE "c2" < ?

-- args: 2
1: int64(1000)
2: int64(1099511627776)
