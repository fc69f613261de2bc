-- begin

-- exec
DELETE FROM "crate" WHERE "warehouse_id" = ANY($1)
-- args: []any{int64(2)}

-- query
SELECT "id", "warehouse_id", "name" FROM "shelf" WHERE "warehouse_id" = ANY($1)
-- args: []any{int64(2)}

-- query
SELECT 1 FROM "box" WHERE "shelf_id" = ANY($1) LIMIT 1
-- args: []any{int64(3)}

-- exec
DELETE FROM "shelf" WHERE "warehouse_id" = ANY($1)
-- args: []any{int64(2)}

-- exec
DELETE FROM "warehouse" WHERE "id" = $1
-- args: int64(2)

-- commit
