SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE NOT (instr(CAST("title" AS BLOB), CAST(? AS BLOB)) > 0 OR coalesce(substr(CAST("title" AS BLOB), 1, ?), CAST("title" AS BLOB)) = CAST(? AS BLOB)) AND NOT (coalesce(substr(CAST("title" AS BLOB), -?, ?), CAST("title" AS BLOB)) = CAST(? AS BLOB))

-- args: 6
1: string("x")
2: int64(1)
3: string("y")
4: int64(1)
5: int64(1)
6: string("z")
