-- query
SELECT "id", "name", "manager_id" FROM "employee" ORDER BY "id"

-- query
SELECT "id", "name", "manager_id" FROM "employee" WHERE "id" IN (?, ?)
-- args: int64(1), int64(2)
