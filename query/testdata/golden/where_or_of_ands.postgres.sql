SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE ("plays" > $1 AND "likes" >= $2) OR ("seconds" < $3 AND "rating" IS NOT NULL)

-- args: 3
1: int64(1000)
2: int64(50)
3: int32(180)
