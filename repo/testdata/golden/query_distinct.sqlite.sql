-- query
SELECT DISTINCT "id", "writer_id", "title", "pages" FROM "book" ORDER BY "title"
