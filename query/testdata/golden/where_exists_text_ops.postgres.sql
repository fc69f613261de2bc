SELECT "id", "name", "country" FROM "artist" WHERE EXISTS (SELECT 1 FROM "track" WHERE "track"."artist_id" = "artist"."id" AND "track"."title" LIKE $1 ESCAPE '\' AND "track"."title" LIKE $2 ESCAPE '\')

-- args: 2
1: string("%mix")
2: string("%\\%%")
