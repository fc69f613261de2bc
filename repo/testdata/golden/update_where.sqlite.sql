-- exec
UPDATE "book" SET "pages" = ?, "title" = ? WHERE "writer_id" = ?
-- args: int(301), string("B1!"), int64(2)
