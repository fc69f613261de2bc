-- exec
UPDATE "draft" SET "title" = $1, "version" = "version" + 1 WHERE "id" = $2 AND "version" = $3
-- args: string("t2"), int64(1), int64(2)
