-- query
SELECT "id", "album_id", "artist_id", "title", "released" FROM "track" WHERE EXISTS (SELECT 1 FROM "artist" WHERE "artist"."id" = "track"."artist_id" AND "artist"."name" > ?) ORDER BY "id"
-- args: string("B")
