SELECT "id", "name", "country" FROM "artist"

-- args: 0
