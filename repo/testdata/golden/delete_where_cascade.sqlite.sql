-- begin

-- query
SELECT "id", "name", "country" FROM "writer" WHERE coalesce(substr(CAST("name" AS BLOB), 1, ?), CAST("name" AS BLOB)) = CAST(? AS BLOB)
-- args: int64(1), string("B")

-- exec
DELETE FROM "book" WHERE "writer_id" IN (?)
-- args: int64(2)

-- exec
DELETE FROM "writer" WHERE "id" IN (?)
-- args: int64(2)

-- commit
