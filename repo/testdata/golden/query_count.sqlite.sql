-- query
SELECT COUNT(*) FROM "book" WHERE "writer_id" = ?
-- args: int64(1)

-- query
SELECT COUNT(*) FROM (SELECT "id", "writer_id", "title", "pages" FROM "book" LIMIT ? OFFSET ?) AS "sub"
-- args: int64(2), int64(1)
