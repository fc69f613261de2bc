SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "artist_id" NOT IN (?, ?)

-- args: 2
1: int64(4)
2: int64(5)
