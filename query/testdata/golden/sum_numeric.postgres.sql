SELECT COALESCE(SUM("amount"), 0) FROM "sale" HAVING COALESCE(SUM("amount"), 0) > $1

-- args: 1
1: float64(0.3)
