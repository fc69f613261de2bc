SELECT "id", "name" FROM "artist" LIMIT $1

-- args: 1
1: int64(5)
