-- begin

-- query
INSERT INTO "writer" ("name", "country") SELECT "column1", "column2" FROM (VALUES (?, ?, 0), (?, ?, 1)) AS "v" ORDER BY "column3" RETURNING "id"
-- args: string("Fay"), string("NL"), string("Gus"), string("BE")

-- query
INSERT INTO "writer" ("name") VALUES (?) RETURNING "id", "country"
-- args: string("Hal")

-- exec
INSERT INTO "writer" ("id", "name", "country") VALUES (?, ?, ?)
-- args: int64(20), string("Ivy"), string("AT")

-- commit
