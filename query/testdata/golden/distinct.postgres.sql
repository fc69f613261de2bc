SELECT DISTINCT "artist_id", "label_code" FROM "track"

-- args: 0
