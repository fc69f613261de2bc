-- begin

-- query
SELECT "id", "name", "country" FROM "writer" WHERE "name" LIKE ? ESCAPE '\'
-- args: string("B%")

-- exec
DELETE FROM "book" WHERE "writer_id" IN (?)
-- args: int64(2)

-- exec
DELETE FROM "writer" WHERE "id" IN (?)
-- args: int64(2)

-- commit
