SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE coalesce(substr(CAST("title" AS BLOB), 1, ?), CAST("title" AS BLOB)) = CAST(? AS BLOB)

-- args: 2
1: int64(6)
2: string("Intro_")
