-- exec
UPDATE "draft" SET "version" = "version" + 1 WHERE "id" = $1 AND "version" = $2
-- args: int64(1), int64(3)
