SELECT "artist"."name", "track"."title", ROW_NUMBER() OVER (PARTITION BY "artist"."id" ORDER BY "track"."title") FROM "track" JOIN "artist" ON "track"."artist_id" = "artist"."id" ORDER BY "artist"."name", "track"."title"

-- args: 0
