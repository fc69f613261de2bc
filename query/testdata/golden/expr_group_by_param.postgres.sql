SELECT ("plays" / $1), COUNT(*) FROM "track" GROUP BY 1 ORDER BY 1 DESC, COUNT(*)

-- args: 1
1: int64(1000)
