-- query
SELECT "person"."name", "phone"."number" FROM "person" LEFT JOIN "phone" ON "phone"."person_id" = "person"."id" ORDER BY "person"."name"
