SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE (length("title") > ?) AND "artist_id" = ?

-- args: 2
1: int(10)
2: int64(7)
