UPDATE "track" SET "plays" = ("plays" + $1), "likes" = GREATEST("likes", "plays") WHERE ("plays" / $2) > $3

-- args: 3
1: int64(100)
2: int64(2)
3: int64(10)
