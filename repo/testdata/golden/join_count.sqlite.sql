-- query
SELECT COUNT(*) FROM "track" JOIN "album" ON "track"."album_id" = "album"."id" WHERE "track"."ms" > ? AND "album"."artist_id" = ?
-- args: int(0), int64(1)

-- query
SELECT COUNT(*) FROM (SELECT "track"."id", "track"."album_id", "track"."name", "track"."ms" FROM "track" JOIN "album" ON "track"."album_id" = "album"."id" WHERE "track"."ms" > ? AND "album"."artist_id" = ? LIMIT ?) AS "sub"
-- args: int(0), int64(1), int64(2)
