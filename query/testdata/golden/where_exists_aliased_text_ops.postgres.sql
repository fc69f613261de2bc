SELECT "id", "name", "country" FROM "artist" WHERE EXISTS (SELECT 1 FROM "artist" AS "other" WHERE "other"."id" = "artist"."id" AND "other"."name" LIKE $1 ESCAPE '\')

-- args: 1
1: string("The %")
