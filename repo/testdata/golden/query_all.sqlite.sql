-- query
SELECT "id", "writer_id", "title", "pages" FROM "book" WHERE "pages" > ? AND "title" LIKE ? ESCAPE '\' ORDER BY "pages" DESC, "title" LIMIT ? OFFSET ?
-- args: int(50), string("A%"), int64(10), int64(1)
