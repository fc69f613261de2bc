SELECT "title", ROW_NUMBER() OVER (PARTITION BY "artist_id" ORDER BY "plays" DESC, "id"), COALESCE(SUM("plays") OVER (PARTITION BY "artist_id"), 0) FROM "track" ORDER BY "id"

-- args: 0
