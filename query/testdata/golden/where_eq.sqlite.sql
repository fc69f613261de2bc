SELECT "id", "name", "country" FROM "artist" WHERE "name" = ?

-- args: 1
1: string("Queen")
