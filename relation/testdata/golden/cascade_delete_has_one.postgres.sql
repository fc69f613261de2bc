-- begin

-- exec
DELETE FROM "phone" WHERE "person_id" = ANY($1)
-- args: []any{int64(1)}

-- exec
DELETE FROM "person" WHERE "id" = $1
-- args: int64(1)

-- commit
