-- query
INSERT INTO "writer" ("id", "name", "country") VALUES ($1, $2, $3) ON CONFLICT ("id") DO UPDATE SET "name" = excluded."name", "country" = excluded."country" RETURNING "id"
-- args: int64(1), string("Ann"), string("CH")

-- exec
SELECT setval(pg_get_serial_sequence($1, $2), GREATEST((SELECT MAX("id") FROM "writer"), nextval(pg_get_serial_sequence($1, $2))))
-- args: string("\"writer\""), string("id")
