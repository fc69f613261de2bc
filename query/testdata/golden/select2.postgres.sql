SELECT "id", "name" FROM "artist" LIMIT 5

-- args: 0
