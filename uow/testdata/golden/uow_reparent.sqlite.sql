-- begin

-- query
SELECT "id", "name", "city" FROM "club" WHERE "id" = ?
-- args: int64(1)

-- query
SELECT "id", "club_id", "name", "number" FROM "player" WHERE "club_id" IN (?) ORDER BY "id"
-- args: int64(1)

-- query
INSERT INTO "club" ("name", "city") VALUES (?, ?) RETURNING "id"
-- args: string("Golds"), string("Ely")

-- exec
UPDATE "player" SET "club_id" = ? WHERE "id" = ?
-- args: int64(3), int64(1)

-- commit
