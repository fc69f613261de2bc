-- query
SELECT "id", "name", "country" FROM "writer" WHERE "id" = ?
-- args: int64(1)
