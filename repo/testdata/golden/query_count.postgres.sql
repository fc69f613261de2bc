-- query
SELECT COUNT(*) FROM "book" WHERE "writer_id" = $1
-- args: int64(1)

-- query
SELECT COUNT(*) FROM (SELECT "id", "writer_id", "title", "pages" FROM "book" LIMIT 2 OFFSET $1) AS "sub"
-- args: int64(1)
