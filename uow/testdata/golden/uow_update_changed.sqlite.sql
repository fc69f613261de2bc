-- begin

-- query
SELECT "id", "club_id", "name", "number" FROM "player" WHERE "id" = ?
-- args: int64(1)

-- query
SELECT "id", "club_id", "name", "number" FROM "player" WHERE "id" = ?
-- args: int64(2)

-- exec
UPDATE "player" SET "number" = ? WHERE "id" = ?
-- args: int(10), int64(1)

-- exec
UPDATE "player" SET "name" = ?, "number" = ? WHERE "id" = ?
-- args: string("Bob"), int(5), int64(2)

-- commit
