-- exec
DELETE FROM "draft" WHERE "id" = $1 AND "version" = $2
-- args: int64(1), int64(0)

-- query
SELECT 1 FROM "draft" WHERE "id" = $1
-- args: int64(1)
