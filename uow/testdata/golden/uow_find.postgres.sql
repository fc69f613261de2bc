-- begin

-- query
SELECT "id", "club_id", "name", "number" FROM "player" WHERE "club_id" = $1 ORDER BY "id"
-- args: int64(1)

-- commit
