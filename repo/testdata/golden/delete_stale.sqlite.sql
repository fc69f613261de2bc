-- exec
DELETE FROM "draft" WHERE "id" = ? AND "version" = ?
-- args: int64(1), int64(0)

-- query
SELECT 1 FROM "draft" WHERE "id" = ?
-- args: int64(1)
