SELECT "id" FROM "track" LIMIT ?

-- args: 1
1: int64(0)
