-- begin

-- query
SELECT "id", "name", "city" FROM "club" WHERE "id" = $1
-- args: int64(1)

-- query
SELECT "id", "club_id", "name", "number" FROM "player" WHERE "club_id" = ANY($1) ORDER BY "id"
-- args: []any{int64(1)}

-- exec
DELETE FROM "award" WHERE "player_id" = ANY($1)
-- args: []any{int64(2)}

-- exec
DELETE FROM "player_skill" WHERE "player_id" = ANY($1)
-- args: []any{int64(2)}

-- exec
DELETE FROM "player" WHERE "id" = $1
-- args: int64(2)

-- query
SELECT "id", "club_id", "name", "number" FROM "player" WHERE "id" = ANY($1)
-- args: []any{int64(1)}

-- commit
