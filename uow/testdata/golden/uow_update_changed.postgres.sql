-- begin

-- query
SELECT "id", "club_id", "name", "number" FROM "player" WHERE "id" = $1
-- args: int64(1)

-- query
SELECT "id", "club_id", "name", "number" FROM "player" WHERE "id" = $1
-- args: int64(2)

-- batch of 2 statements
UPDATE "player" SET "number" = $1 WHERE "id" = $2;
-- args: int(10), int64(1)
UPDATE "player" SET "name" = $1, "number" = $2 WHERE "id" = $3
-- args: string("Bob"), int(5), int64(2)

-- commit
