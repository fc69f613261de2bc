SELECT COUNT(*) FROM (SELECT "artist_id" AS "c1" FROM "track" GROUP BY "artist_id" HAVING COUNT(*) > $1) AS "counted"

-- args: 1
1: int64(1)
