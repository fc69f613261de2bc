-- exec
UPDATE "writer" SET "name" = ?, "country" = ? WHERE "id" = ?
-- args: string("Anna"), string("FR"), int64(1)
