SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "rating" IS NULL AND "artist_id" = ?

-- args: 1
1: int64(7)
