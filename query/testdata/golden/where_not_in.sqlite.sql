SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "artist_id" NOT IN (SELECT +value FROM json_each(?))

-- args: 1
1: string("[4,5]")
