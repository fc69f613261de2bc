SELECT "artist_id", COALESCE(SUM("plays"), 0), AVG("seconds") FROM "track" WHERE "rating" IS NOT NULL GROUP BY "artist_id" HAVING (COALESCE(SUM("plays"), 0) >= $1 OR AVG("seconds") < $2) AND COUNT(*) >= $3 ORDER BY COALESCE(SUM("plays"), 0) DESC, "artist_id" LIMIT 5

-- args: 3
1: int64(1000)
2: sql.Null[float64](sql.Null[float64]{V:120, Valid:true})
3: int64(3)
