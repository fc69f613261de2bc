-- begin

-- savepoint

-- exec
DELETE FROM "book" WHERE "writer_id" IN (?)
-- args: int64(2)

-- exec
DELETE FROM "writer" WHERE "id" = ?
-- args: int64(2)

-- release savepoint

-- commit
