SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "released" < CURRENT_TIMESTAMP

-- args: 0
