SELECT DISTINCT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE ("plays" > ? OR "likes" >= ?) AND "artist_id" = ? LIMIT -1 OFFSET ?

-- args: 4
1: int64(1000)
2: int64(50)
3: int64(7)
4: int64(2)
