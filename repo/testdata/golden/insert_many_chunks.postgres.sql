-- begin

-- batch of 4 statements
INSERT INTO "writer" ("name", "country") SELECT "column1", "column2" FROM (VALUES ((SELECT "name" FROM "writer" LIMIT 0), (SELECT "country" FROM "writer" LIMIT 0), -1), ($1, $2, 0), ($3, $4, 1)) AS "v" WHERE "column3" >= 0 ORDER BY "column3" RETURNING "id";
-- args: string("Fay"), string("NL"), string("Gus"), string("BE")
INSERT INTO "writer" ("name") VALUES ($1) RETURNING "id", "country";
-- args: string("Hal")
INSERT INTO "writer" ("id", "name", "country") VALUES ($1, $2, $3);
-- args: int64(20), string("Ivy"), string("AT")
SELECT setval(pg_get_serial_sequence($1, $2), GREATEST((SELECT MAX("id") FROM "writer"), nextval(pg_get_serial_sequence($1, $2))))
-- args: string("\"writer\""), string("id")

-- commit
