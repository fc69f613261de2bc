-- begin

-- query
SELECT "id", "name" FROM "skill" WHERE "id" = $1
-- args: int64(3)

-- exec
UPDATE "skill" SET "name" = $1 WHERE "id" = $2
-- args: string("dribble"), int64(3)

-- commit
