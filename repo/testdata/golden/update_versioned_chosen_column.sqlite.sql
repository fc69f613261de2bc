-- exec
UPDATE "draft" SET "title" = ?, "version" = "version" + 1 WHERE "id" = ? AND "version" = ?
-- args: string("t2"), int64(1), int64(2)
