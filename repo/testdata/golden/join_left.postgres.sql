-- query
SELECT "track"."id", "track"."album_id", "track"."name", "track"."ms" FROM "track" LEFT JOIN "album" ON "track"."album_id" = "album"."id" ORDER BY "album"."title" NULLS FIRST
