-- query
SELECT "id", "name", "country" FROM "writer" WHERE "name" = ? LIMIT ?
-- args: string("Bo"), int64(2)
