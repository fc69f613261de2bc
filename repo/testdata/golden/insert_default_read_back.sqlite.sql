-- query
INSERT INTO "writer" ("name") VALUES (?) RETURNING "id", "country"
-- args: string("Ed")
