-- begin

-- query
SELECT "id", "name" FROM "skill" WHERE "id" = ?
-- args: int64(3)

-- exec
UPDATE "skill" SET "name" = ? WHERE "id" = ?
-- args: string("dribble"), int64(3)

-- commit
