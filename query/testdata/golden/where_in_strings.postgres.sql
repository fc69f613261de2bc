SELECT "id", "name", "country" FROM "artist" WHERE "name" = ANY($1)

-- args: 1
1: []any{string("Queen"), string("ABBA")}
