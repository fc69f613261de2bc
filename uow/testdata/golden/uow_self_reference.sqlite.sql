-- begin

-- query
INSERT INTO "staff" ("name", "boss_id") VALUES (?, ?) RETURNING "id"
-- args: string("Ceo"), *int64((*int64)(nil))

-- query
INSERT INTO "staff" ("name", "boss_id") VALUES (?, ?) RETURNING "id"
-- args: string("Vp"), *int64(&int64(1))

-- query
INSERT INTO "staff" ("name", "boss_id") VALUES (?, ?) RETURNING "id"
-- args: string("Dev"), *int64(&int64(2))

-- commit
