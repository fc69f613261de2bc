SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "id" = ANY($1)

-- args: 1
1: []any{int64(9)}
