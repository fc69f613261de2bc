DELETE FROM "track" WHERE "artist_id" IN (SELECT "id" FROM "artist" WHERE "country" = $1) AND "plays" > $2

-- args: 2
1: string("UK")
2: int64(1000)
