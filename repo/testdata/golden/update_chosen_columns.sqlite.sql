-- exec
UPDATE "writer" SET "name" = ?, "country" = ? WHERE "id" = ?
-- args: string("Bob"), string("PL"), int64(2)
