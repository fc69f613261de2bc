-- exec
INSERT INTO "writer" ("name", "country") VALUES (?, ?)
-- args: string("Cy"), string("IT")
