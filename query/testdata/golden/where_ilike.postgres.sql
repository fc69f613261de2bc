SELECT "id", "name", "country" FROM "artist" WHERE "name" ILIKE $1 ESCAPE '\'

-- args: 1
1: string("queen%")
