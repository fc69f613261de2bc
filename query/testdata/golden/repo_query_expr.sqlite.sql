SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE ("seconds" * ?) > ? AND CAST(strftime('%Y', "released") AS INTEGER) >= ? ORDER BY ("plays" - "likes") DESC, lower("title") LIMIT ?

-- args: 4
1: int32(1000)
2: int32(180000)
3: int64(2020)
4: int64(3)
