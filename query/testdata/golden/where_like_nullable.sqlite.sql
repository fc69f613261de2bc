SELECT "id", "name", "country" FROM "artist" WHERE "country" LIKE ? ESCAPE '\'

-- args: 1
1: string("U%")
