SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE ("plays" > ? OR "likes" > ?) AND "artist_id" = ?

-- args: 3
1: int(1)
2: int(2)
3: int64(7)
