-- query
SELECT "id", "writer_id", "title", "pages" FROM "book" WHERE "pages" > $1 AND "title" LIKE $2 ESCAPE '\' ORDER BY "pages" DESC, "title" LIMIT 10 OFFSET $3
-- args: int(50), string("A%"), int64(1)
