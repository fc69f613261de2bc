-- query
SELECT "id", "name" FROM "artist" WHERE EXISTS (SELECT 1 FROM "track" WHERE "track"."artist_id" = "artist"."id" AND "track"."title" LIKE $1 ESCAPE '\' AND "track"."released" < $2)
-- args: string("%Love%"), int(5)
