-- query
SELECT "artist"."name", "track"."title" FROM "artist" JOIN "track" ON "track"."artist_id" = "artist"."id" WHERE "track"."released" <= $1 ORDER BY "artist"."name", "track"."released"
-- args: int(2)
