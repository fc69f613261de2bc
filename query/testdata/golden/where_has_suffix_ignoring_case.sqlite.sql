SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE coalesce(substr(CAST(lower("title") AS BLOB), -?, ?), CAST(lower("title") AS BLOB)) = CAST(lower(?) AS BLOB)

-- args: 3
1: int64(5)
2: int64(5)
3: string("Café")
