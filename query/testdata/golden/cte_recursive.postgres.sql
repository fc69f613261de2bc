WITH RECURSIVE "org"("c1", "c2", "c3") AS (SELECT "id", "name", CAST($1 AS bigint) FROM "staff" WHERE "id" = $2 UNION ALL SELECT "staff"."id", "staff"."name", ("org"."c3" + $3) FROM "staff" JOIN "org" ON "staff"."manager_id" = "org"."c1") SELECT "c1", "c2", "c3" FROM "org" ORDER BY "c3", "c1"

-- args: 3
1: int64(0)
2: int64(1)
3: int64(1)
