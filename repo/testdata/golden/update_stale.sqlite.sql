-- exec
UPDATE "draft" SET "title" = ?, "body" = ?, "version" = "version" + 1 WHERE "id" = ? AND "version" = ?
-- args: string("t2"), string("b2"), int64(1), int64(3)

-- query
SELECT 1 FROM "draft" WHERE "id" = ?
-- args: int64(1)
