SELECT "artist_id", "label_code", COUNT("rating") FROM "track" GROUP BY "artist_id", "label_code"

-- args: 0
