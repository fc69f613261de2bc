-- query
SELECT "id", "writer_id", "title", "pages" FROM "book" WHERE "pages" > $1 AND "title" LIKE $2 ESCAPE '\' ORDER BY "pages" DESC, "title" LIMIT $3 OFFSET $4
-- args: int(50), string("A%"), int64(10), int64(1)
