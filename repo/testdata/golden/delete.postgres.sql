-- exec
DELETE FROM "book" WHERE "id" = $1
-- args: int64(2)
