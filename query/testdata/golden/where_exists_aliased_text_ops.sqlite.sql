SELECT "id", "name", "country" FROM "artist" WHERE EXISTS (SELECT 1 FROM "artist" AS "other" WHERE "other"."id" = "artist"."id" AND coalesce(substr(CAST("other"."name" AS BLOB), 1, ?), CAST("other"."name" AS BLOB)) = CAST(? AS BLOB))

-- args: 2
1: int64(4)
2: string("The ")
