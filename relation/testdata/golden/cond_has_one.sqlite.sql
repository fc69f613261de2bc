-- query
SELECT "id", "name" FROM "person" WHERE EXISTS (SELECT 1 FROM "phone" WHERE "phone"."person_id" = "person"."id" AND coalesce(substr(CAST("phone"."number" AS BLOB), 1, ?), CAST("phone"."number" AS BLOB)) = CAST(? AS BLOB))
-- args: int64(1), string("5")
