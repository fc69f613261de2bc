SELECT "name" FROM "artist" WHERE "id" IN (WITH "big"("c1", "c2") AS (SELECT "artist_id", COALESCE(SUM("plays"), 0) FROM "track" GROUP BY "artist_id" HAVING COALESCE(SUM("plays"), 0) > $1) SELECT "c1" FROM "big")

-- args: 1
1: int64(1000)
