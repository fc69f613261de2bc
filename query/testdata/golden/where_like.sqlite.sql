SELECT "id", "name", "country" FROM "artist" WHERE "name" LIKE ? ESCAPE '\'

-- args: 1
1: string("Qu_en%")
