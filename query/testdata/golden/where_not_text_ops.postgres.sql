SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE NOT ("title" LIKE $1 ESCAPE '\' OR "title" LIKE $2 ESCAPE '\') AND NOT ("title" LIKE $3 ESCAPE '\')

-- args: 3
1: string("%x%")
2: string("y%")
3: string("%z")
