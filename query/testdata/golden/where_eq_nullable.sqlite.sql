SELECT "id", "name", "country" FROM "artist" WHERE "country" = ?

-- args: 1
1: string("UK")
