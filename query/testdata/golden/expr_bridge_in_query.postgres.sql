SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "label_code" IN (SELECT "code" FROM "label" WHERE "name" LIKE $1 ESCAPE '\') AND "label_code" IN (SELECT "code" FROM "label")

-- args: 1
1: string("E%")
