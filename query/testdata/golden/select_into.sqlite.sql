SELECT "artist_id", COUNT(*), COALESCE(SUM("plays"), 0), MAX("seconds"), MIN("released"), AVG("seconds"), COUNT("rating") FROM "track" WHERE "plays" > ? GROUP BY "artist_id" HAVING COUNT(*) > ? ORDER BY "artist_id"

-- args: 2
1: int64(0)
2: int64(1)
