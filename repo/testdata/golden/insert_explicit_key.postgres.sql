-- exec
INSERT INTO "writer" ("id", "name", "country") VALUES ($1, $2, $3)
-- args: int64(10), string("Di"), string("ES")

-- exec
SELECT setval(pg_get_serial_sequence($1, $2), GREATEST((SELECT MAX("id") FROM "writer"), nextval(pg_get_serial_sequence($1, $2))))
-- args: string("\"writer\""), string("id")
