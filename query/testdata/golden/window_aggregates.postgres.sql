SELECT "id", COALESCE(SUM("plays") OVER (PARTITION BY "artist_id" ORDER BY "id"), 0), COUNT(*) OVER (PARTITION BY "artist_id", "label_code"), MAX("rating") OVER (PARTITION BY "artist_id") FROM "track" WHERE "plays" > $1 ORDER BY "id"

-- args: 1
1: int64(0)
