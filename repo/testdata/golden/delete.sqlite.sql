-- exec
DELETE FROM "book" WHERE "id" = ?
-- args: int64(2)
