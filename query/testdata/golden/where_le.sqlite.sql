SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "released" <= ?

-- args: 1
1: string("2024-03-01 11:30:00.123456")
