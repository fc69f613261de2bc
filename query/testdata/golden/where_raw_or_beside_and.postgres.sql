SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE ("plays" > $1 OR "likes" > $2) AND "artist_id" = $3

-- args: 3
1: int(1)
2: int(2)
3: int64(7)
