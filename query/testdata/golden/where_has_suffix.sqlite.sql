SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "title" LIKE ? ESCAPE '\'

-- args: 1
1: string("%(Live) 100\\%")
