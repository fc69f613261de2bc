-- begin

-- query
INSERT INTO "club" ("name", "city") VALUES ($1, $2) RETURNING "id"
-- args: string("Greens"), string("York")

-- query
INSERT INTO "player" ("club_id", "name", "number") SELECT "column1", "column2", "column3" FROM (VALUES ((SELECT "club_id" FROM "player" LIMIT 0), (SELECT "name" FROM "player" LIMIT 0), (SELECT "number" FROM "player" LIMIT 0), -1), ($1, $2, $3, 0), ($4, $5, $6, 1)) AS "v" WHERE "column4" >= 0 ORDER BY "column4" RETURNING "id"
-- args: int64(3), string("Di"), int(1), int64(3), string("Ed"), int(2)

-- query
INSERT INTO "award" ("player_id", "title") VALUES ($1, $2) RETURNING "id"
-- args: int64(4), string("Rookie")

-- commit
