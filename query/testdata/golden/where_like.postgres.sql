SELECT "id", "name", "country" FROM "artist" WHERE "name" LIKE $1 ESCAPE '\'

-- args: 1
1: string("Qu_en%")
