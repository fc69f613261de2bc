SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "released" BETWEEN $1 AND $2

-- args: 2
1: time.Date(2024, time.March, 1, 12, 30, 0, 123456000, time.Location("CET"))
2: time.Date(2024, time.December, 31, 23, 59, 59, 0, time.UTC)
