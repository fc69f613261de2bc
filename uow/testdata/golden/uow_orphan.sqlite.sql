-- begin

-- query
SELECT "id", "name", "city" FROM "club" WHERE "id" = ?
-- args: int64(1)

-- query
SELECT "id", "club_id", "name", "number" FROM "player" WHERE "club_id" IN (?) ORDER BY "id"
-- args: int64(1)

-- exec
DELETE FROM "award" WHERE "player_id" IN (?)
-- args: int64(2)

-- exec
DELETE FROM "player_skill" WHERE "player_id" IN (?)
-- args: int64(2)

-- exec
DELETE FROM "player" WHERE "id" = ?
-- args: int64(2)

-- query
SELECT "id", "club_id", "name", "number" FROM "player" WHERE "id" IN (?)
-- args: int64(1)

-- commit
