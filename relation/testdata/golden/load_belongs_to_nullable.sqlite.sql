-- query
SELECT "id", "name", "manager_id" FROM "employee" ORDER BY "id"

-- query
SELECT "id", "name", "manager_id" FROM "employee" WHERE "id" IN (SELECT +value FROM json_each(?))
-- args: string("[1,2]")
