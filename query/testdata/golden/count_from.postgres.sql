SELECT COUNT(*) FROM "track" WHERE "artist_id" = $1

-- args: 1
1: int64(7)
