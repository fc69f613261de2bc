SELECT "id", "name", "country" FROM "artist" WHERE "country" = $1

-- args: 1
1: string("UK")
