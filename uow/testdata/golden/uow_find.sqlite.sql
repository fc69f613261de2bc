-- begin

-- query
SELECT "id", "club_id", "name", "number" FROM "player" WHERE "club_id" = ? ORDER BY "id"
-- args: int64(1)

-- commit
