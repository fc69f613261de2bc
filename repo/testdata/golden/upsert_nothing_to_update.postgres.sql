-- query
INSERT INTO "tag" ("name") VALUES ($1) ON CONFLICT ("name") DO UPDATE SET "name" = excluded."name" RETURNING "id"
-- args: string("go")
