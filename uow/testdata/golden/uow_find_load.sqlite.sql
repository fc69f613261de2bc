-- begin

-- query
SELECT "id", "name", "city" FROM "club" ORDER BY "id"

-- query
SELECT "id", "club_id", "name", "number" FROM "player" WHERE "club_id" IN (?, ?)
-- args: int64(1), int64(2)

-- query
SELECT "player_skill"."player_id", "skill"."id", "skill"."name" FROM "skill" JOIN "player_skill" ON "player_skill"."skill_id" = "skill"."id" WHERE "player_skill"."player_id" IN (?, ?, ?)
-- args: int64(1), int64(2), int64(3)

-- commit
