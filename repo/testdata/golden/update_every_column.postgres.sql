-- exec
UPDATE "writer" SET "name" = $1, "country" = $2 WHERE "id" = $3
-- args: string("Anna"), string("FR"), int64(1)
