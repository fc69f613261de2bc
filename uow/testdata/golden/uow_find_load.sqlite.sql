-- begin

-- query
SELECT "id", "name", "city" FROM "club" ORDER BY "id"

-- query
SELECT "id", "club_id", "name", "number" FROM "player" WHERE "club_id" IN (SELECT +value FROM json_each(?))
-- args: string("[1,2]")

-- query
SELECT "player_skill"."player_id", "skill"."id", "skill"."name" FROM "skill" JOIN "player_skill" ON "player_skill"."skill_id" = "skill"."id" WHERE "player_skill"."player_id" IN (SELECT +value FROM json_each(?))
-- args: string("[1,2,3]")

-- commit
