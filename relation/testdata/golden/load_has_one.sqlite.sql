-- query
SELECT "id", "name" FROM "person" ORDER BY "id"

-- query
SELECT "id", "person_id", "number" FROM "phone" WHERE "person_id" IN (?, ?)
-- args: int64(1), int64(2)
