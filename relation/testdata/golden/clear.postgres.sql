-- exec
UPDATE "employee" SET "manager_id" = NULL WHERE "id" = $1
-- args: int64(6)
