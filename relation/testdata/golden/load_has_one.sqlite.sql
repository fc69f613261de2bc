-- query
SELECT "id", "name" FROM "person" ORDER BY "id"

-- query
SELECT "id", "person_id", "number" FROM "phone" WHERE "person_id" IN (SELECT +value FROM json_each(?))
-- args: string("[1,2]")
