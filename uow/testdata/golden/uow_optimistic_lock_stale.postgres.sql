-- begin

-- exec
DELETE FROM "account" WHERE "id" = $1 AND "version" = $2
-- args: int64(1), int64(1)

-- query
SELECT 1 FROM "account" WHERE "id" = $1
-- args: int64(1)

-- rollback
