-- query
INSERT INTO "writer" ("name", "country") VALUES (?, ?) ON CONFLICT ("name") DO UPDATE SET "country" = excluded."country" RETURNING "id"
-- args: string("Bo"), string("SE")
