WITH "big"("c1", "c2") AS (SELECT "artist_id", COALESCE(SUM("plays"), 0) FROM "track" GROUP BY "artist_id" HAVING COALESCE(SUM("plays"), 0) > ?) SELECT "artist"."name" FROM "artist" JOIN "big" ON "big"."c1" = "artist"."id" WHERE "artist"."id" > ?

-- args: 2
1: int64(1000)
2: int64(0)
