-- begin

-- query
SELECT "id", "writer_id", "title", "pages" FROM "book" WHERE "writer_id" = ?
-- args: int64(1)

-- exec
UPDATE "book" SET "writer_id" = ? WHERE "id" = ?
-- args: int64(1), int64(3)

-- exec
DELETE FROM "book" WHERE "id" = ?
-- args: int64(2)

-- query
INSERT INTO "book" ("writer_id", "title", "pages") VALUES (?, ?, ?) RETURNING "id"
-- args: int64(1), string("A9"), int(9)

-- commit
