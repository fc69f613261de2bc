SELECT "id", "name", "country" FROM "artist" WHERE instr(CAST("country" AS BLOB), CAST(? AS BLOB)) > 0

-- args: 1
1: string("K")
