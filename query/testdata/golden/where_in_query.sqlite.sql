SELECT "id", "name", "country" FROM "artist" WHERE "name" <> ? AND "id" IN (SELECT "artist_id" FROM "track" WHERE "plays" > ? AND coalesce(substr(CAST("title" AS BLOB), 1, ?), CAST("title" AS BLOB)) = CAST(? AS BLOB)) AND "id" < ?

-- args: 5
1: string("Unknown")
2: int64(1000)
3: int64(4)
4: string("Live")
5: int64(100)
