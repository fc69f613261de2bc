-- begin

-- exec
DELETE FROM "crate" WHERE "warehouse_id" IN (?)
-- args: int64(2)

-- query
SELECT "id", "warehouse_id", "name" FROM "shelf" WHERE "warehouse_id" IN (?)
-- args: int64(2)

-- query
SELECT 1 FROM "box" WHERE "shelf_id" IN (?) LIMIT ?
-- args: int64(3), int64(1)

-- exec
DELETE FROM "shelf" WHERE "warehouse_id" IN (?)
-- args: int64(2)

-- exec
DELETE FROM "warehouse" WHERE "id" = ?
-- args: int64(2)

-- commit
