-- begin

-- query
SELECT "id", "name", "city" FROM "club" WHERE "id" = $1
-- args: int64(1)

-- commit
