INSERT INTO "label" ("code", "name") VALUES ($1, $2) ON CONFLICT ("code") DO UPDATE SET "name" = excluded."name" RETURNING "code", "name"

-- args: 2
1: string("INDY")
2: string("Independent")
