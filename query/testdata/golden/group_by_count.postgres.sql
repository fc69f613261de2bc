SELECT "artist_id", COUNT(*) FROM "track" GROUP BY "artist_id" HAVING COUNT(*) > $1 ORDER BY COUNT(*) DESC

-- args: 1
1: int64(2)
