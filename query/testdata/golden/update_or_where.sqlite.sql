UPDATE "track" SET "likes" = ? WHERE ("plays" > ? OR "rating" IS NOT NULL) AND "artist_id" = ?

-- args: 3
1: int64(0)
2: int64(1000)
3: int64(7)
