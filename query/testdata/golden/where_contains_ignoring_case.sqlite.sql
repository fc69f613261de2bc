SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE instr(CAST(lower("title") AS BLOB), CAST(lower(?) AS BLOB)) > 0

-- args: 1
1: string("a_b")
