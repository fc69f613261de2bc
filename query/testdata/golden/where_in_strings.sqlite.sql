SELECT "id", "name", "country" FROM "artist" WHERE "name" IN (?, ?)

-- args: 2
1: string("Queen")
2: string("ABBA")
