-- query
SELECT "id", "person_id", "number" FROM "phone"

-- query
SELECT "id", "name" FROM "person" WHERE "id" IN (?)
-- args: int64(1)
