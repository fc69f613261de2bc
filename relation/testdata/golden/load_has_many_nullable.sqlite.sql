-- query
SELECT "id", "name", "manager_id" FROM "employee" ORDER BY "id"

-- query
SELECT "id", "name", "manager_id" FROM "employee" WHERE "manager_id" IN (SELECT +value FROM json_each(?)) ORDER BY "id"
-- args: string("[1,2,3,4,5,6]")
