-- begin

-- query
INSERT INTO "club" ("name", "city") VALUES (?, ?) RETURNING "id"
-- args: string("Whites"), string("Bath")

-- savepoint

-- query
INSERT INTO "club" ("name", "city") VALUES (?, ?) RETURNING "id"
-- args: string("Golds"), string("Ely")

-- release savepoint

-- savepoint

-- query, failed
INSERT INTO "club" ("name", "city") VALUES (?, ?) RETURNING "id"
-- args: string("Reds"), string("again")

-- rollback to savepoint

-- commit
