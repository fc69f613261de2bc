SELECT "order", "select" FROM "group" WHERE "select" = $1 AND "order" > $2 ORDER BY "order" DESC

-- args: 2
1: string("from")
2: int32(1)
