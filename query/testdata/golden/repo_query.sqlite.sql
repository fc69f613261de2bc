SELECT "id", "name", "country" FROM "artist" WHERE "name" LIKE ? ESCAPE '\' AND "country" = ? ORDER BY "name" DESC LIMIT ? OFFSET ?

-- args: 4
1: string("Q%")
2: string("UK")
3: int64(10)
4: int64(5)
