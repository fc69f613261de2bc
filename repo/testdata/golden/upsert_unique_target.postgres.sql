-- query
INSERT INTO "writer" ("name", "country") VALUES ($1, $2) ON CONFLICT ("name") DO UPDATE SET "country" = excluded."country" RETURNING "id"
-- args: string("Bo"), string("SE")
