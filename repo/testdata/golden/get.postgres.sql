-- query
SELECT "id", "name", "country" FROM "writer" WHERE "id" = $1
-- args: int64(1)
