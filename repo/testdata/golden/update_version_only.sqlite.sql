-- exec
UPDATE "draft" SET "version" = "version" + 1 WHERE "id" = ? AND "version" = ?
-- args: int64(1), int64(3)
