SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE ("artist_id" = $1 OR ("plays" > $2 AND NOT ("seconds" < $3 OR "rating" IS NOT NULL))) AND "likes" >= $4

-- args: 4
1: int64(7)
2: int64(1000)
3: int32(180)
4: int64(50)
