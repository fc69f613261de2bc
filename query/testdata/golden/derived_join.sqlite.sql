SELECT "artist"."name", "per_artist"."c2" FROM "artist" JOIN (SELECT "artist_id" AS "c1", COALESCE(SUM("plays"), 0) AS "c2", COUNT(*) AS "c3" FROM "track" WHERE "seconds" > ? GROUP BY "artist_id") AS "per_artist" ON "per_artist"."c1" = "artist"."id" WHERE "artist"."name" <> ?

-- args: 2
1: int32(60)
2: string("x")
