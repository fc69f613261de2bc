-- query
SELECT "artist"."name", "track"."title" FROM "artist" LEFT JOIN "track" ON "track"."artist_id" = "artist"."id" ORDER BY "artist"."name"
