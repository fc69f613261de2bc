-- begin

-- query
SELECT "id", "name", "city" FROM "club" WHERE "id" = ?
-- args: int64(1)

-- query
SELECT "id", "player_id", "title" FROM "award" WHERE "id" = ?
-- args: int64(1)

-- exec
UPDATE "club" SET "city" = ? WHERE "id" = ?
-- args: string("Leeds United"), int64(1)

-- query
INSERT INTO "player" ("club_id", "name", "number") VALUES (?, ?, ?) RETURNING "id"
-- args: int64(1), string("Fi"), int(3)

-- exec
DELETE FROM "award" WHERE "id" = ?
-- args: int64(1)

-- query
SELECT "id", "club_id", "name", "number" FROM "player" WHERE "id" IN (?)
-- args: int64(6)

-- commit
