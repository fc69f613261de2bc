SELECT "id", "name", "country" FROM "artist" WHERE "id" NOT IN (SELECT DISTINCT "artist_id" FROM "track")

-- args: 0
