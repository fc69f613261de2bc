-- query
SELECT "album"."id", "album"."artist_id", "album"."title" FROM "album" JOIN "artist" ON "album"."artist_id" = "artist"."id" LEFT JOIN "sleeve" ON "sleeve"."album_id" = "album"."id" WHERE "artist"."name" = $1 ORDER BY "sleeve"."color"
-- args: string("Queen")
