SELECT "id", "name", "country" FROM "artist" WHERE "name" LIKE $1 ESCAPE '\' AND "country" = $2 ORDER BY "name" DESC LIMIT $3 OFFSET $4

-- args: 4
1: string("Q%")
2: string("UK")
3: int64(10)
4: int64(5)
