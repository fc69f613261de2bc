SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "title" NOT LIKE '%?%' AND "plays" > ?

-- args: 1
1: int(5)
