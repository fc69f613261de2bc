-- exec
UPDATE "employee" SET "manager_id" = ? WHERE "id" = ?
-- args: int64(1), int64(6)
