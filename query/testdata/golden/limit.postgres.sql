SELECT "id" FROM "track" LIMIT $1

-- args: 1
1: int64(10)
