-- query
INSERT INTO "writer" ("id", "name", "country") VALUES (?, ?, ?) ON CONFLICT ("id") DO UPDATE SET "name" = excluded."name", "country" = excluded."country" RETURNING "id"
-- args: int64(1), string("Ann"), string("CH")
