SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "id" IN (?, ?, ?)

-- args: 3
1: int64(1)
2: int64(2)
3: int64(3)
