SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "artist_id" <> ?

-- args: 1
1: int64(3)
