-- query
SELECT "id", "writer_id", "title", "pages" FROM "book" WHERE "writer_id" IN (?, ?) ORDER BY "id"
-- args: int64(1), int64(2)
