SELECT "artist_id", MAX("released") FROM "track" GROUP BY "artist_id" HAVING MAX("released") > ?

-- args: 1
1: string("2024-03-01 11:30:00.123456")
