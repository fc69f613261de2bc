UPDATE "track" SET "likes" = $1 WHERE ("plays" > $2 OR "rating" IS NOT NULL) AND "artist_id" = $3

-- args: 3
1: int64(0)
2: int64(1000)
3: int64(7)
