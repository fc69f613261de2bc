SELECT "c1", "c2" FROM (SELECT "artist_id" AS "c1", COALESCE(SUM("plays"), 0) AS "c2", COUNT(*) AS "c3" FROM "track" WHERE "seconds" > ? GROUP BY "artist_id") AS "per_artist" WHERE "c2" > ? ORDER BY "c2" DESC LIMIT ?

-- args: 3
1: int32(60)
2: int64(100)
3: int64(1)
