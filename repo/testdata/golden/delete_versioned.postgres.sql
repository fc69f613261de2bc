-- exec
DELETE FROM "draft" WHERE "id" = $1 AND "version" = $2
-- args: int64(1), int64(1)
