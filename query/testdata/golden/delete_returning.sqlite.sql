DELETE FROM "track" WHERE "id" IN (?, ?) RETURNING "id", "title"

-- args: 2
1: int64(4)
2: int64(5)
