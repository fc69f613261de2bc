SELECT CASE WHEN "seconds" < ? THEN CAST(? AS TEXT) WHEN "seconds" < ? THEN CAST(? AS TEXT) ELSE CAST(? AS TEXT) END, CASE WHEN "rating" IS NULL THEN CAST(? AS INTEGER) WHEN "plays" > ? THEN "likes" ELSE "plays" END, CASE WHEN coalesce(substr(CAST("title" AS BLOB), 1, ?), CAST("title" AS BLOB)) = CAST(? AS BLOB) THEN CAST(? AS REAL) END FROM "track" WHERE CASE WHEN "plays" > ? THEN CAST(? AS BOOLEAN) ELSE CAST(? AS BOOLEAN) END = ?

-- args: 14
1: int32(60)
2: string("short")
3: int32(300)
4: string("song")
5: string("long")
6: int64(0)
7: int64(1000)
8: int64(4)
9: string("Live")
10: float64(1.5)
11: int64(10)
12: bool(true)
13: bool(false)
14: bool(true)
