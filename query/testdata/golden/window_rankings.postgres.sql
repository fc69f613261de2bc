SELECT "title", ROW_NUMBER() OVER (PARTITION BY "artist_id" ORDER BY "plays" DESC, "id"), RANK() OVER (PARTITION BY "artist_id" ORDER BY "plays" DESC), DENSE_RANK() OVER (ORDER BY "seconds") FROM "track" ORDER BY "id"

-- args: 0
