-- query
SELECT "id", "name" FROM "person" WHERE EXISTS (SELECT 1 FROM "phone" WHERE "phone"."person_id" = "person"."id" AND "phone"."number" LIKE $1 ESCAPE '\')
-- args: string("5%")
