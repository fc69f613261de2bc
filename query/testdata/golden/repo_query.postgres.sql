SELECT "id", "name", "country" FROM "artist" WHERE "name" LIKE $1 ESCAPE '\' AND "country" = $2 ORDER BY "name" DESC LIMIT 10 OFFSET $3

-- args: 3
1: string("Q%")
2: string("UK")
3: int64(5)
