DELETE FROM "track" WHERE "artist_id" IN (SELECT "id" FROM "artist" WHERE "country" = ?) AND "plays" > ?

-- args: 2
1: string("UK")
2: int64(1000)
