-- query
SELECT "id", "name", "country" FROM "writer" ORDER BY "id"

-- query
SELECT "id", "writer_id", "title", "pages" FROM "book" WHERE "writer_id" IN (SELECT +value FROM json_each(?))
-- args: string("[1,2]")
