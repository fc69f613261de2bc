-- begin

-- savepoint

-- exec
DELETE FROM "book" WHERE "writer_id" = ANY($1)
-- args: []any{int64(2)}

-- exec
DELETE FROM "writer" WHERE "id" = $1
-- args: int64(2)

-- release savepoint

-- commit
