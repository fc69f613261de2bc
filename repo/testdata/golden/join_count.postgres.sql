-- query
SELECT COUNT(*) FROM "track" JOIN "album" ON "track"."album_id" = "album"."id" WHERE "track"."ms" > $1 AND "album"."artist_id" = $2
-- args: int(0), int64(1)

-- query
SELECT COUNT(*) FROM (SELECT "track"."id", "track"."album_id", "track"."name", "track"."ms" FROM "track" JOIN "album" ON "track"."album_id" = "album"."id" WHERE "track"."ms" > $1 AND "album"."artist_id" = $2 LIMIT 2) AS "sub"
-- args: int(0), int64(1)
