SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "released" IN (?, ?)

-- args: 2
1: string("2024-03-01T11:30:00.123456000Z")
2: string("2024-12-31T23:59:59.000000000Z")
