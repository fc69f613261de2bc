-- begin

-- query
SELECT "id", "name", "country" FROM "writer" WHERE "name" LIKE $1 ESCAPE '\'
-- args: string("B%")

-- exec
DELETE FROM "book" WHERE "writer_id" = ANY($1)
-- args: []any{int64(2)}

-- exec
DELETE FROM "writer" WHERE "id" = ANY($1)
-- args: []any{int64(2)}

-- commit
