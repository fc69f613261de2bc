-- begin

-- query
SELECT "id", "name", "city" FROM "club" WHERE "id" = $1
-- args: int64(1)

-- query
SELECT "id", "player_id", "title" FROM "award" WHERE "id" = $1
-- args: int64(1)

-- batch of 3 statements
UPDATE "club" SET "city" = $1 WHERE "id" = $2;
-- args: string("Leeds United"), int64(1)
INSERT INTO "player" ("club_id", "name", "number") VALUES ($1, $2, $3) RETURNING "id";
-- args: int64(1), string("Fi"), int(3)
DELETE FROM "award" WHERE "id" = $1
-- args: int64(1)

-- query
SELECT "id", "club_id", "name", "number" FROM "player" WHERE "id" = ANY($1)
-- args: []any{int64(6)}

-- commit
