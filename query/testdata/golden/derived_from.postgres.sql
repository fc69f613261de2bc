SELECT "c1", "c2" FROM (SELECT "artist_id" AS "c1", COALESCE(SUM("plays"), 0) AS "c2", COUNT(*) AS "c3" FROM "track" WHERE "seconds" > $1 GROUP BY "artist_id") AS "per_artist" WHERE "c2" > $2 ORDER BY "c2" DESC LIMIT 1

-- args: 2
1: int32(60)
2: int64(100)
