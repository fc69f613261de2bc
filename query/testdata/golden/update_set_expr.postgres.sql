UPDATE "track" SET "likes" = "plays", "plays" = "plays" + $1 WHERE "id" = ANY($2) RETURNING "id", "plays"

-- args: 2
1: int(1)
2: []any{int64(1), int64(2)}
