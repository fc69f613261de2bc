DELETE FROM "track" WHERE "artist_id" = $1 AND "seconds" < $2

-- args: 2
1: int64(7)
2: int32(180)
