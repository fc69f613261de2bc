-- begin

-- exec
DELETE FROM "account" WHERE "id" = ? AND "version" = ?
-- args: int64(1), int64(1)

-- query
SELECT 1 FROM "account" WHERE "id" = ?
-- args: int64(1)

-- rollback
