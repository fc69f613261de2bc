SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE instr(CAST("title" AS BLOB), CAST(? AS BLOB)) > 0

-- args: 1
1: string("50%_off\\now")
