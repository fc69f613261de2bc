-- query
SELECT "track"."id", "track"."album_id", "track"."name", "track"."ms" FROM "track" JOIN "album" ON "track"."album_id" = "album"."id" WHERE "track"."ms" > $1 AND "album"."artist_id" = $2 ORDER BY "album"."title", "track"."name" LIMIT 10 OFFSET $3
-- args: int(0), int64(1), int64(1)
