-- exec
UPDATE "draft" SET "title" = $1, "body" = $2, "version" = "version" + 1 WHERE "id" = $3 AND "version" = $4
-- args: string("t2"), string("b2"), int64(1), int64(3)

-- query
SELECT 1 FROM "draft" WHERE "id" = $1
-- args: int64(1)
