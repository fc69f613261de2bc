-- begin

-- query
INSERT INTO "club" ("name", "city") VALUES ($1, $2) RETURNING "id"
-- args: string("Greens"), string("York")

-- query
INSERT INTO "player" ("club_id", "name", "number") VALUES ($1, $2, $3), ($4, $5, $6) RETURNING "id"
-- args: int64(3), string("Di"), int(1), int64(3), string("Ed"), int(2)

-- query
INSERT INTO "award" ("player_id", "title") VALUES ($1, $2) RETURNING "id"
-- args: int64(4), string("Rookie")

-- commit
