-- begin

-- query
SELECT "id", "name", "city" FROM "club" WHERE "id" = $1
-- args: int64(1)

-- query
SELECT "id", "club_id", "name", "number" FROM "player" WHERE "club_id" = ANY($1) ORDER BY "id"
-- args: []any{int64(1)}

-- query
INSERT INTO "club" ("name", "city") VALUES ($1, $2) RETURNING "id"
-- args: string("Golds"), string("Ely")

-- exec
UPDATE "player" SET "club_id" = $1 WHERE "id" = $2
-- args: int64(3), int64(1)

-- commit
