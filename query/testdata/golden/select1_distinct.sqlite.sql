SELECT DISTINCT "artist_id" FROM "track" ORDER BY "artist_id"

-- args: 0
