-- begin

-- query
SELECT "id", "club_id", "name", "number" FROM "player" WHERE "id" = $1
-- args: int64(1)

-- query
SELECT "player_skill"."player_id", "skill"."id", "skill"."name" FROM "skill" JOIN "player_skill" ON "player_skill"."skill_id" = "skill"."id" WHERE "player_skill"."player_id" = ANY($1) ORDER BY "skill"."id"
-- args: []any{int64(1)}

-- query
SELECT "id", "name" FROM "skill" WHERE "id" = $1
-- args: int64(3)

-- query
INSERT INTO "skill" ("name") VALUES ($1) RETURNING "id"
-- args: string("head")

-- exec
DELETE FROM "player_skill" WHERE "player_id" = $1 AND "skill_id" = ANY($2)
-- args: int64(1), []any{int64(1)}

-- exec
INSERT INTO "player_skill" ("player_id", "skill_id") VALUES ($1, $2), ($3, $4)
-- args: int64(1), int64(3), int64(1), int64(4)

-- commit
