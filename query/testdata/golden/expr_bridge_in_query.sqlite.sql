SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "label_code" IN (SELECT "code" FROM "label" WHERE coalesce(substr(CAST("name" AS BLOB), 1, ?), CAST("name" AS BLOB)) = CAST(? AS BLOB)) AND "label_code" IN (SELECT "code" FROM "label")

-- args: 2
1: int64(1)
2: string("E")
