-- query
SELECT "id", "name", "country" FROM "writer" WHERE "name" = $1 LIMIT 2
-- args: string("Bo")
