SELECT "id" FROM "track" ORDER BY "id" LIMIT -1 OFFSET ?

-- args: 1
1: int64(20)
