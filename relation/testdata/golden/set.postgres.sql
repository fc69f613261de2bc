-- exec
UPDATE "employee" SET "manager_id" = $1 WHERE "id" = $2
-- args: int64(1), int64(6)
