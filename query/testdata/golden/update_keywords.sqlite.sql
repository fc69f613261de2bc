UPDATE "group" SET "order" = ?, "select" = ? WHERE "id" = ?

-- args: 3
1: int32(3)
2: string("where")
3: int64(1)
