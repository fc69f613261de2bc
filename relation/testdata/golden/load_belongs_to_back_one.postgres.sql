-- query
SELECT "id", "person_id", "number" FROM "phone"

-- query
SELECT "id", "name" FROM "person" WHERE "id" = ANY($1)
-- args: []any{int64(1)}
