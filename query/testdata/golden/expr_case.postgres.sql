SELECT CASE WHEN "seconds" < $1 THEN CAST($2 AS text) WHEN "seconds" < $3 THEN CAST($4 AS text) ELSE CAST($5 AS text) END, CASE WHEN "rating" IS NULL THEN CAST($6 AS bigint) WHEN "plays" > $7 THEN "likes" ELSE "plays" END, CASE WHEN "title" LIKE $8 ESCAPE '\' THEN CAST($9 AS double precision) END FROM "track" WHERE CASE WHEN "plays" > $10 THEN CAST($11 AS boolean) ELSE CAST($12 AS boolean) END = $13

-- args: 13
1: int32(60)
2: string("short")
3: int32(300)
4: string("song")
5: string("long")
6: int64(0)
7: int64(1000)
8: string("Live%")
9: float64(1.5)
10: int64(10)
11: bool(true)
12: bool(false)
13: bool(true)
