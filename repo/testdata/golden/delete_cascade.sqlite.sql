-- begin

-- exec
DELETE FROM "book" WHERE "writer_id" IN (?)
-- args: int64(1)

-- exec
DELETE FROM "writer" WHERE "id" = ?
-- args: int64(1)

-- commit
