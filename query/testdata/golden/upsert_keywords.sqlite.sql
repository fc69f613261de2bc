INSERT INTO "group" ("id", "order", "select") VALUES (?, ?, ?) ON CONFLICT ("id") DO UPDATE SET "order" = excluded."order", "select" = excluded."select"

-- args: 3
1: int64(1)
2: int32(2)
3: string("x")
