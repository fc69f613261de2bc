-- exec
UPDATE "draft" SET "title" = $1, "body" = $2, "version" = "version" + 1 WHERE "id" = $3 AND "version" = $4
-- args: string("t"), string("b2"), int64(1), int64(1)
