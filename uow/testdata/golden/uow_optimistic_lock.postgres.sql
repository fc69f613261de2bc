-- begin

-- query
SELECT "id", "owner", "balance", "version" FROM "account" WHERE "id" = $1
-- args: int64(1)

-- exec
UPDATE "account" SET "balance" = $1, "version" = "version" + 1 WHERE "id" = $2 AND "version" = $3
-- args: int64(110), int64(1), int64(1)

-- commit
