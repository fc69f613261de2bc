-- query
SELECT "id", "name", "manager_id" FROM "employee" ORDER BY "id"

-- query
SELECT "id", "name", "manager_id" FROM "employee" WHERE "manager_id" IN (?, ?, ?, ?, ?, ?) ORDER BY "id"
-- args: int64(1), int64(2), int64(3), int64(4), int64(5), int64(6)
