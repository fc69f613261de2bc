SELECT "order", "select" FROM "group" WHERE "select" = ? AND "order" > ? ORDER BY "order" DESC

-- args: 2
1: string("from")
2: int32(1)
