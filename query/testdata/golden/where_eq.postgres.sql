SELECT "id", "name", "country" FROM "artist" WHERE "name" = $1

-- args: 1
1: string("Queen")
