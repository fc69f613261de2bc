-- begin

-- query
SELECT "id", "owner", "balance", "version" FROM "account" WHERE "id" = ?
-- args: int64(1)

-- exec
UPDATE "account" SET "balance" = ?, "version" = "version" + 1 WHERE "id" = ? AND "version" = ?
-- args: int64(110), int64(1), int64(1)

-- commit
