SELECT "artist"."name", "track"."title" FROM "artist" JOIN "track" ON "track"."artist_id" = "artist"."id" WHERE "track"."plays" > $1

-- args: 1
1: int64(100)
