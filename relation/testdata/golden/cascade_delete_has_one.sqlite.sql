-- begin

-- exec
DELETE FROM "phone" WHERE "person_id" IN (?)
-- args: int64(1)

-- exec
DELETE FROM "person" WHERE "id" = ?
-- args: int64(1)

-- commit
