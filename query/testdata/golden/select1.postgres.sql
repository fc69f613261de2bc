SELECT "name" FROM "artist" WHERE "country" IS NOT NULL ORDER BY "name"

-- args: 0
