SELECT "id", "name", "country" FROM "artist" WHERE coalesce(substr(CAST("name" AS BLOB), 1, ?), CAST("name" AS BLOB)) = CAST(? AS BLOB) AND "country" = ? ORDER BY "name" DESC LIMIT ? OFFSET ?

-- args: 5
1: int64(1)
2: string("Q")
3: string("UK")
4: int64(10)
5: int64(5)
