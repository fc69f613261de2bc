-- query
SELECT "track"."id", "track"."album_id", "track"."name", "track"."ms" FROM "track" JOIN "album" ON "track"."album_id" = "album"."id" WHERE "track"."ms" > ? AND "album"."artist_id" = ? ORDER BY "album"."title", "track"."name" LIMIT ?
-- args: int(0), int64(1), int64(1)

-- query
SELECT "id", "artist_id", "title" FROM "album" WHERE "id" IN (?)
-- args: int64(2)
