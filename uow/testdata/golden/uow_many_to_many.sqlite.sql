-- begin

-- query
SELECT "id", "club_id", "name", "number" FROM "player" WHERE "id" = ?
-- args: int64(1)

-- query
SELECT "player_skill"."player_id", "skill"."id", "skill"."name" FROM "skill" JOIN "player_skill" ON "player_skill"."skill_id" = "skill"."id" WHERE "player_skill"."player_id" IN (?) ORDER BY "skill"."id"
-- args: int64(1)

-- query
SELECT "id", "name" FROM "skill" WHERE "id" = ?
-- args: int64(3)

-- query
INSERT INTO "skill" ("name") VALUES (?) RETURNING "id"
-- args: string("head")

-- exec
DELETE FROM "player_skill" WHERE "player_id" = ? AND "skill_id" IN (?)
-- args: int64(1), int64(1)

-- exec
INSERT INTO "player_skill" ("player_id", "skill_id") VALUES (?, ?), (?, ?)
-- args: int64(1), int64(3), int64(1), int64(4)

-- commit
