SELECT "id", "artist_id", "label_code", "title", "seconds", "plays", "likes", "released", "rating", "tags" FROM "track" WHERE "rating" > ?

-- args: 1
1: sql.Null[float64](sql.Null[float64]{V:4.5, Valid:true})
