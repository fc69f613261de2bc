-- query
INSERT INTO "tag" ("name") VALUES (?) ON CONFLICT ("name") DO UPDATE SET "name" = excluded."name" RETURNING "id"
-- args: string("go")
