SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE ("seconds" * $1) > $2 AND CAST(EXTRACT(YEAR FROM "released" AT TIME ZONE 'UTC') AS bigint) >= $3 ORDER BY ("plays" - "likes") DESC, lower("title") LIMIT 3

-- args: 3
1: int32(1000)
2: int32(180000)
3: int64(2020)
