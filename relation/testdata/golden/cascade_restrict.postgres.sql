-- begin

-- exec
DELETE FROM "crate" WHERE "warehouse_id" = ANY($1)
-- args: []any{int64(1)}

-- query
SELECT "id", "warehouse_id", "name" FROM "shelf" WHERE "warehouse_id" = ANY($1)
-- args: []any{int64(1)}

-- query
SELECT 1 FROM "box" WHERE "shelf_id" = ANY($1) LIMIT 1
-- args: []any{int64(1), int64(2)}

-- rollback
