SELECT "track"."title", "other"."title" FROM "track" JOIN "track" AS "other" ON "other"."artist_id" = "track"."artist_id" AND "other"."id" > "track"."id" WHERE "other"."plays" > $1 ORDER BY "track"."id", "other"."id"

-- args: 1
1: int64(10)
