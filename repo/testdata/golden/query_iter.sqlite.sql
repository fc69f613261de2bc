-- query
SELECT "id", "writer_id", "title", "pages" FROM "book" WHERE "writer_id" IN (SELECT +value FROM json_each(?)) ORDER BY "id"
-- args: string("[1,2]")
