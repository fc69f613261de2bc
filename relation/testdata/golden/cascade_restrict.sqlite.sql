-- begin

-- exec
DELETE FROM "crate" WHERE "warehouse_id" IN (?)
-- args: int64(1)

-- query
SELECT "id", "warehouse_id", "name" FROM "shelf" WHERE "warehouse_id" IN (?)
-- args: int64(1)

-- query
SELECT 1 FROM "box" WHERE "shelf_id" IN (?, ?) LIMIT ?
-- args: int64(1), int64(2), int64(1)

-- rollback
