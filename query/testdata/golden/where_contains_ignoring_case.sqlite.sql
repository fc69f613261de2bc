SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE lower("title") LIKE lower(?) ESCAPE '\'

-- args: 1
1: string("%a\\_b%")
