-- begin

-- exec
UPDATE "employee" SET "manager_id" = NULL WHERE "manager_id" = ANY($1) AND "id" <> ALL($2)
-- args: []any{int64(2)}, []any{int64(2)}

-- exec
DELETE FROM "employee" WHERE "id" = $1
-- args: int64(2)

-- commit
