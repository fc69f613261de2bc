SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "title" LIKE $1 ESCAPE '\'

-- args: 1
1: string("%café")
