-- query
INSERT INTO "writer" ("name", "country") VALUES (?, ?) RETURNING "id"
-- args: string("Cy"), string("IT")
