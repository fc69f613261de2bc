-- query
SELECT "id", "name", "country" FROM "writer" ORDER BY "id"

-- query
SELECT "id", "writer_id", "title", "pages" FROM "book" WHERE "writer_id" IN (?, ?)
-- args: int64(1), int64(2)
