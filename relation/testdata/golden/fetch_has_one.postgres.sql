-- query
SELECT "id", "person_id", "number" FROM "phone" WHERE "person_id" = ANY($1)
-- args: []any{int64(1)}
