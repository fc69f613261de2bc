-- begin

-- query
SELECT "id" = ANY($1), "id", "parent_id", "blocker_id", "owner_id", "name" FROM "rc_task" WHERE "parent_id" = ANY($2)
-- args: []any{int64(1)}, []any{int64(1)}

-- query
SELECT "id" = ANY($1), "id", "parent_id", "blocker_id", "owner_id", "name" FROM "rc_task" WHERE "parent_id" = ANY($2)
-- args: []any{int64(2), int64(1)}, []any{int64(2)}

-- query
SELECT "id" = ANY($1), "id", "parent_id", "blocker_id", "owner_id", "name" FROM "rc_task" WHERE "parent_id" = ANY($2)
-- args: []any{int64(3), int64(2), int64(1)}, []any{int64(3)}

-- exec
DELETE FROM "rc_task" WHERE "parent_id" = ANY($1) AND "id" <> ALL($2)
-- args: []any{int64(3)}, []any{int64(3)}

-- query
SELECT "id" = ANY($1), "id", "parent_id", "blocker_id", "owner_id", "name" FROM "rc_task" WHERE "blocker_id" = ANY($2)
-- args: []any{int64(3), int64(2), int64(1)}, []any{int64(3)}

-- exec
UPDATE "rc_task" SET "blocker_id" = NULL WHERE "id" = ANY($1)
-- args: []any{int64(2)}

-- query
SELECT "id" = ANY($1), "id", "parent_id", "blocker_id", "owner_id", "name" FROM "rc_task" WHERE "owner_id" = ANY($2)
-- args: []any{int64(3), int64(2), int64(1)}, []any{int64(3)}

-- exec
UPDATE "rc_task" SET "owner_id" = "id" WHERE "id" = ANY($1)
-- args: []any{int64(2)}

-- exec
DELETE FROM "rc_task" WHERE "parent_id" = ANY($1) AND "id" <> ALL($2)
-- args: []any{int64(2)}, []any{int64(2)}

-- query
SELECT "id" = ANY($1), "id", "parent_id", "blocker_id", "owner_id", "name" FROM "rc_task" WHERE "blocker_id" = ANY($2)
-- args: []any{int64(2), int64(1)}, []any{int64(2)}

-- query
SELECT "id" = ANY($1), "id", "parent_id", "blocker_id", "owner_id", "name" FROM "rc_task" WHERE "owner_id" = ANY($2)
-- args: []any{int64(2), int64(1)}, []any{int64(2)}

-- exec
DELETE FROM "rc_task" WHERE "parent_id" = ANY($1) AND "id" <> ALL($2)
-- args: []any{int64(1)}, []any{int64(1)}

-- query
SELECT "id" = ANY($1), "id", "parent_id", "blocker_id", "owner_id", "name" FROM "rc_task" WHERE "blocker_id" = ANY($2)
-- args: []any{int64(1)}, []any{int64(1)}

-- query
SELECT "id" = ANY($1), "id", "parent_id", "blocker_id", "owner_id", "name" FROM "rc_task" WHERE "owner_id" = ANY($2)
-- args: []any{int64(1)}, []any{int64(1)}

-- exec
DELETE FROM "rc_task" WHERE "id" = $1
-- args: int64(1)

-- commit
