SELECT "id", "name", "country" FROM "artist" WHERE "name" IN (SELECT +value FROM json_each(?))

-- args: 1
1: string("[\"Queen\",\"ABBA\"]")
