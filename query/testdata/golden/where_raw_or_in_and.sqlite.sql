SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "artist_id" = ? AND ("plays" > ? OR "likes" > ?)

-- args: 3
1: int64(7)
2: int(1)
3: int(2)
