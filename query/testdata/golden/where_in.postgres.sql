SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "id" = ANY($1)

-- args: 1
1: []any{int64(1), int64(2), int64(3)}
