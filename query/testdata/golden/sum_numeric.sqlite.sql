SELECT ROUND(COALESCE(SUM("amount"), 0), 2) FROM "sale" HAVING ROUND(COALESCE(SUM("amount"), 0), 2) > ?

-- args: 1
1: float64(0.3)
