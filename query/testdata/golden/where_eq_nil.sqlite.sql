SELECT "id", "name", "country" FROM "artist" WHERE "country" IS NULL

-- args: 0
