-- exec
DELETE FROM "draft" WHERE "id" = ? AND "version" = ?
-- args: int64(1), int64(1)
