SELECT "id" FROM "track" ORDER BY "id" LIMIT 10 OFFSET $1

-- args: 1
1: int64(20)
