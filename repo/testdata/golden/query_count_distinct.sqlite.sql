-- query
SELECT COUNT(*) FROM (SELECT DISTINCT "id", "writer_id", "title", "pages" FROM "book" WHERE "pages" >= ?) AS "sub"
-- args: int(100)
