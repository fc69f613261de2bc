-- query
SELECT "id", "writer_id", "title", "pages" FROM "book" ORDER BY "pages" LIMIT 1
