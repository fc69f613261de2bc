DELETE FROM "track" WHERE "artist_id" = ? AND "seconds" < ?

-- args: 2
1: int64(7)
2: int32(180)
