SELECT "id", "name", "country" FROM "artist" WHERE lower("name") LIKE lower(?) ESCAPE '\'

-- args: 1
1: string("queen%")
