SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "seconds" BETWEEN ? AND ?

-- args: 2
1: int32(180)
2: int32(240)
