-- begin

-- exec
UPDATE "employee" SET "manager_id" = NULL WHERE "manager_id" IN (?) AND "id" NOT IN (?)
-- args: int64(2), int64(2)

-- exec
DELETE FROM "employee" WHERE "id" = ?
-- args: int64(2)

-- commit
