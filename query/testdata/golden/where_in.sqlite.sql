SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "id" IN (SELECT +value FROM json_each(?))

-- args: 1
1: string("[1,2,3]")
