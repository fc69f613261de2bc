SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "id" IN (SELECT "id" FROM "track" ORDER BY ROW_NUMBER() OVER (PARTITION BY "artist_id" ORDER BY "plays" DESC, "id") LIMIT 2)

-- args: 0
