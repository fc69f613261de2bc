SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "released" BETWEEN ? AND ?

-- args: 2
1: string("2024-03-01 11:30:00.123456")
2: string("2024-12-31 23:59:59")
