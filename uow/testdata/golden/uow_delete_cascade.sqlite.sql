-- begin

-- query
SELECT "id", "club_id", "name", "number" FROM "player" ORDER BY "id"

-- query
SELECT "id", "name", "city" FROM "club" WHERE "id" = ?
-- args: int64(2)

-- query
SELECT "id", "club_id", "name", "number" FROM "player" WHERE "club_id" IN (?)
-- args: int64(2)

-- exec
DELETE FROM "award" WHERE "player_id" IN (?)
-- args: int64(3)

-- exec
DELETE FROM "player_skill" WHERE "player_id" IN (?)
-- args: int64(3)

-- exec
DELETE FROM "player" WHERE "club_id" IN (?)
-- args: int64(2)

-- exec
DELETE FROM "club" WHERE "id" = ?
-- args: int64(2)

-- query
SELECT "id", "club_id", "name", "number" FROM "player" WHERE "id" IN (?, ?)
-- args: int64(1), int64(3)

-- commit
