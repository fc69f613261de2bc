-- query
SELECT "artist"."name", "album"."title", "track"."title" FROM "artist" JOIN "album" ON "album"."artist_id" = "artist"."id" JOIN "track" ON "track"."album_id" = "album"."id" ORDER BY "track"."title"
