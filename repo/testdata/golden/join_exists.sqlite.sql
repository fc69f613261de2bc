-- query
SELECT 1 FROM "track" JOIN "album" ON "track"."album_id" = "album"."id" WHERE "track"."ms" > ? AND "album"."artist_id" = ? LIMIT ?
-- args: int(0), int64(1), int64(1)
