-- query
SELECT 1 FROM "track" JOIN "album" ON "track"."album_id" = "album"."id" WHERE "track"."ms" > $1 AND "album"."artist_id" = $2 LIMIT 1
-- args: int(0), int64(1)
