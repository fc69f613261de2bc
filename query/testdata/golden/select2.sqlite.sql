SELECT "id", "name" FROM "artist" LIMIT ?

-- args: 1
1: int64(5)
