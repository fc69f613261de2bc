SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "released" IN (SELECT +value FROM json_each(?))

-- args: 1
1: string("[\"2024-03-01T11:30:00.123456000Z\",\"2024-12-31T23:59:59.000000000Z\"]")
