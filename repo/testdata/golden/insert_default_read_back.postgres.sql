-- query
INSERT INTO "writer" ("name") VALUES ($1) RETURNING "id", "country"
-- args: string("Ed")
