-- query
SELECT "id", "name" FROM "artist" WHERE NOT (EXISTS (SELECT 1 FROM "track" WHERE "track"."artist_id" = "artist"."id"))
