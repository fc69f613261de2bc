SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE (length("title") > $1) AND "artist_id" = $2

-- args: 2
1: int(10)
2: int64(7)
