SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE NOT ("plays" > ? AND "likes" >= ?)

-- args: 2
1: int64(1000)
2: int64(50)
