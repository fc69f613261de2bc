DELETE FROM "track" WHERE "id" = ANY($1) RETURNING "id", "title"

-- args: 1
1: []any{int64(4), int64(5)}
