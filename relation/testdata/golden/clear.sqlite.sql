-- exec
UPDATE "employee" SET "manager_id" = NULL WHERE "id" = ?
-- args: int64(6)
