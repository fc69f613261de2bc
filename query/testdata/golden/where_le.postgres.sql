SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "released" <= $1

-- args: 1
1: time.Date(2024, time.March, 1, 12, 30, 0, 123456000, time.Location("CET"))
