SELECT "c2" FROM (SELECT "artist_id" AS "c1", "plays" AS "c2" FROM "track" WHERE "plays" > ?) AS "pairs" WHERE "c2" < ?

-- args: 2
1: int64(10)
2: int64(5000)
