SELECT "artist_id", MAX("released") FROM "track" GROUP BY "artist_id" HAVING MAX("released") > $1

-- args: 1
1: time.Date(2024, time.March, 1, 12, 30, 0, 123456000, time.Location("CET"))
