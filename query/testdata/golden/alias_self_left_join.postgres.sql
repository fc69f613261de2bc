SELECT "track"."title", "other"."title" FROM "track" LEFT JOIN "track" AS "other" ON "other"."artist_id" = "track"."artist_id" AND "other"."id" > "track"."id" ORDER BY "track"."id"

-- args: 0
