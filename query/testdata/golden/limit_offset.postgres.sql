SELECT "id" FROM "track" ORDER BY "id" LIMIT $1 OFFSET $2

-- args: 2
1: int64(10)
2: int64(20)
