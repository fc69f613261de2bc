SELECT "id", "name", "country" FROM "artist" WHERE EXISTS (SELECT 1 FROM "track" WHERE "track"."artist_id" = "artist"."id" AND coalesce(substr(CAST("track"."title" AS BLOB), -?, ?), CAST("track"."title" AS BLOB)) = CAST(? AS BLOB) AND instr(CAST("track"."title" AS BLOB), CAST(? AS BLOB)) > 0)

-- args: 4
1: int64(3)
2: int64(3)
3: string("mix")
4: string("%")
