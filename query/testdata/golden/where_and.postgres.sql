SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "artist_id" = $1 AND "plays" > $2 AND "seconds" < $3

-- args: 3
1: int64(7)
2: int64(1000)
3: int32(180)
