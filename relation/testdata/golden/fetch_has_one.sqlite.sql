-- query
SELECT "id", "person_id", "number" FROM "phone" WHERE "person_id" IN (?)
-- args: int64(1)
