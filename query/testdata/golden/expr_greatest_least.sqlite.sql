SELECT max(COALESCE("plays", "likes", ?), COALESCE("likes", "plays", ?), COALESCE(?, "plays", "likes")), min(COALESCE("rating", ?), COALESCE(?, "rating")) FROM "track"

-- args: 5
1: int64(10)
2: int64(10)
3: int64(10)
4: sql.Null[float64](sql.Null[float64]{V:1, Valid:true})
5: sql.Null[float64](sql.Null[float64]{V:1, Valid:true})
