-- exec
UPDATE "draft" SET "title" = ?, "body" = ?, "version" = "version" + 1 WHERE "id" = ? AND "version" = ?
-- args: string("t"), string("b2"), int64(1), int64(1)
