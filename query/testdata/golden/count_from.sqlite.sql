SELECT COUNT(*) FROM "track" WHERE "artist_id" = ?

-- args: 1
1: int64(7)
