-- exec
UPDATE "book" SET "pages" = $1, "title" = $2 WHERE "writer_id" = $3
-- args: int(301), string("B1!"), int64(2)
