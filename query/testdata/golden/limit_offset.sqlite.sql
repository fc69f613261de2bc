SELECT "id" FROM "track" ORDER BY "id" LIMIT ? OFFSET ?

-- args: 2
1: int64(10)
2: int64(20)
