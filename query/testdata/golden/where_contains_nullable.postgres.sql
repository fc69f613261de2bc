SELECT "id", "name", "country" FROM "artist" WHERE "country" LIKE $1 ESCAPE '\'

-- args: 1
1: string("%K%")
