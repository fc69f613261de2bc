SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE coalesce(substr(CAST("title" AS BLOB), -?, ?), CAST("title" AS BLOB)) = CAST(? AS BLOB)

-- args: 3
1: int64(5)
2: int64(5)
3: string("café")
