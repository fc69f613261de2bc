UPDATE "group" SET "order" = $1, "select" = $2 WHERE "id" = $3

-- args: 3
1: int32(3)
2: string("where")
3: int64(1)
