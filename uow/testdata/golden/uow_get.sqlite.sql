-- begin

-- query
SELECT "id", "name", "city" FROM "club" WHERE "id" = ?
-- args: int64(1)

-- commit
