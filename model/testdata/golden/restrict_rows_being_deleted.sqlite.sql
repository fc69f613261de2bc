-- begin

-- query
SELECT "id" IN (?), "id", "parent_id", "blocker_id", "owner_id", "name" FROM "rc_task" WHERE "parent_id" IN (?)
-- args: int64(1), int64(1)

-- query
SELECT "id" IN (?, ?), "id", "parent_id", "blocker_id", "owner_id", "name" FROM "rc_task" WHERE "parent_id" IN (?)
-- args: int64(2), int64(1), int64(2)

-- query
SELECT "id" IN (?, ?, ?), "id", "parent_id", "blocker_id", "owner_id", "name" FROM "rc_task" WHERE "parent_id" IN (?)
-- args: int64(3), int64(2), int64(1), int64(3)

-- exec
DELETE FROM "rc_task" WHERE "parent_id" IN (?) AND "id" NOT IN (?)
-- args: int64(3), int64(3)

-- query
SELECT "id" IN (?, ?, ?), "id", "parent_id", "blocker_id", "owner_id", "name" FROM "rc_task" WHERE "blocker_id" IN (?)
-- args: int64(3), int64(2), int64(1), int64(3)

-- exec
UPDATE "rc_task" SET "blocker_id" = NULL WHERE "id" IN (?)
-- args: int64(2)

-- query
SELECT "id" IN (?, ?, ?), "id", "parent_id", "blocker_id", "owner_id", "name" FROM "rc_task" WHERE "owner_id" IN (?)
-- args: int64(3), int64(2), int64(1), int64(3)

-- exec
UPDATE "rc_task" SET "owner_id" = "id" WHERE "id" IN (?)
-- args: int64(2)

-- exec
DELETE FROM "rc_task" WHERE "parent_id" IN (?) AND "id" NOT IN (?)
-- args: int64(2), int64(2)

-- query
SELECT "id" IN (?, ?), "id", "parent_id", "blocker_id", "owner_id", "name" FROM "rc_task" WHERE "blocker_id" IN (?)
-- args: int64(2), int64(1), int64(2)

-- query
SELECT "id" IN (?, ?), "id", "parent_id", "blocker_id", "owner_id", "name" FROM "rc_task" WHERE "owner_id" IN (?)
-- args: int64(2), int64(1), int64(2)

-- exec
DELETE FROM "rc_task" WHERE "parent_id" IN (?) AND "id" NOT IN (?)
-- args: int64(1), int64(1)

-- query
SELECT "id" IN (?), "id", "parent_id", "blocker_id", "owner_id", "name" FROM "rc_task" WHERE "blocker_id" IN (?)
-- args: int64(1), int64(1)

-- query
SELECT "id" IN (?), "id", "parent_id", "blocker_id", "owner_id", "name" FROM "rc_task" WHERE "owner_id" IN (?)
-- args: int64(1), int64(1)

-- exec
DELETE FROM "rc_task" WHERE "id" = ?
-- args: int64(1)

-- commit
