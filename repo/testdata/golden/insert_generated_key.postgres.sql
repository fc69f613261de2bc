-- query
INSERT INTO "writer" ("name", "country") VALUES ($1, $2) RETURNING "id"
-- args: string("Cy"), string("IT")
