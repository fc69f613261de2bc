SELECT GREATEST("plays", "likes", $1), LEAST("rating", $2) FROM "track"

-- args: 2
1: int64(10)
2: sql.Null[float64](sql.Null[float64]{V:1, Valid:true})
